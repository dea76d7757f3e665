package io.corral.panel.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The switch returns to the page it was on, and only ever to a page of this panel, whatever the Referer says. */
class LanguageSwitchTest {
    @Test
    void itReturnsOnlyToAPageOfThePanel() {
        assertEquals("/servers?q=web", LanguageSwitch.back("http://panel.example/servers?q=web"));
        assertEquals("/servers/5?page=2", LanguageSwitch.back("http://panel.example/servers/5?notice=start&page=2&error=x"), "shown once");
        assertEquals("/admin/hosts", LanguageSwitch.back("https://elsewhere.example/admin/hosts"), "the path only, never the host");
        assertEquals("/servers", LanguageSwitch.back("http://panel.example//evil.example/x"), "no protocol-relative address");
        assertEquals("/servers", LanguageSwitch.back("http://panel.example/language"), "not back to the switch itself");
        assertEquals("/servers", LanguageSwitch.back(null));
        assertEquals("/servers", LanguageSwitch.back("not a uri"));
    }
}
