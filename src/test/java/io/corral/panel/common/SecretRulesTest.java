package io.corral.panel.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretRulesTest {
    private static final String KEY = "k".repeat(32);

    @Test
    void aSessionKeyOf32CharactersAndAnAdminPasswordOf12ThatIsNotTheUsernamePass() {
        assertEquals(List.of(), SecretRules.broken(KEY, Optional.of("admin"), Optional.of("p".repeat(12))));
        assertEquals(List.of(), SecretRules.broken(KEY, Optional.empty(), Optional.empty()), "no first admin, no rule for one");
    }

    @Test
    void eachBrokenRuleIsNamedWithItsSetting() {
        assertEquals(List.of("CORRAL_PANEL_CLIENT_SECRET has 31 characters and needs at least 32: it is the corral-panel client's "
                        + "secret in Keycloak and the key of the session cookies",
                "CORRAL_FIRST_ADMIN_PASSWORD has 5 characters and needs at least 12 (the realm's password policy)",
                "CORRAL_FIRST_ADMIN_PASSWORD is the first admin's username, which the realm's password policy refuses"),
                SecretRules.broken("k".repeat(31), Optional.of("Admin"), Optional.of("admin")));
        assertEquals(1, SecretRules.broken(KEY, Optional.of("administrator"), Optional.of("ADMINISTRATOR")).size());
    }
}
