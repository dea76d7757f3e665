package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The panel in the viewer's language: the one their browser asks for first among the panel's (English, Japanese), until
 * they choose one in the header, which is then kept for them, in any browser.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class LanguageTest {
    @Inject
    Fixtures fixtures;
    @Inject
    io.corral.panel.audit.Audit audit;
    @TestHTTPResource("/")
    java.net.URL panel;

    @BeforeEach
    void world() {
        fixtures.wipe();
        rename(fixtures.tenant("acme", fixtures.plan(3, 4096, 4, 40960)).id, "Acme <i>&\"");
        TestKeycloak.get().joinTenant("cleo", "acme");
    }

    @jakarta.transaction.Transactional
    void rename(long tenantId, String name) {
        io.corral.panel.tenant.Tenant.update("name = ?1 where id = ?2", name, tenantId);
    }

    /** Data in a message (a tenant's name in a heading) is escaped once, as anywhere on a page, in either language. */
    @Test
    void dataInAMessageIsEscapedOnce() {
        for (String language : new String[] {"en", "ja"}) {
            String page = signedIn(language).open("/users").body();
            assertTrue(page.contains("Acme &lt;i&gt;&amp;&quot;"), page);
            assertTrue(!page.contains("<i>") && !page.contains("&amp;lt;"), page);
        }
    }

    @Test
    void aBrowserAskingForJapaneseGetsThePanelInJapanese() {
        String page = signedIn("ja-JP,ja;q=0.9,en;q=0.8").open("/servers").body();
        assertTrue(page.contains("<html lang=\"ja\">"), page);
        assertTrue(page.contains("<h1>ご利用中のサーバー</h1>"), page);
        assertTrue(page.contains("サーバーはまだありません。"), page);
        assertTrue(page.contains(">ログアウト<"), page);
        // the first of the panel's languages the browser asks for, not merely its first language
        String asked = signedIn("fr-FR,fr;q=0.9,ja;q=0.5").open("/servers").body();
        assertTrue(asked.contains("<h1>ご利用中のサーバー</h1>"), asked);
        String english = signedIn("de-DE").open("/servers").body();
        assertTrue(english.contains("<html lang=\"en\">") && english.contains("<h1>Your servers</h1>"), english);
    }

    /**
     * Times are shown in the browser's zone, which the page's script keeps in the cookie tz; none, an unknown zone or a
     * broken cookie shows UTC and never fails the page.
     */
    @Test
    void timesAreShownInTheBrowsersZone() {
        recordAt(java.time.OffsetDateTime.parse("2026-11-29T06:23:52Z"));
        BrowserSession admin = new BrowserSession(panel.toString()).speaking("ja");
        assertEquals(200, admin.signIn("/admin/audit", "ada", "ada-password").statusCode());
        assertTrue(admin.open("/admin/audit").body().contains("2026年11月29日 6:23:52 UTC"));
        assertTrue(admin.cookie("tz", "Asia%2FTokyo").open("/admin/audit").body().contains("2026年11月29日 15:23:52 JST"));
        for (String broken : new String[] {"%", "%zz", "Mars%2FOlympus", "x".repeat(500)}) {
            HttpResponse<String> page = admin.cookie("tz", broken).open("/admin/audit");
            assertEquals(200, page.statusCode(), broken);
            assertTrue(page.body().contains("2026年11月29日 6:23:52 UTC"), broken);
        }
    }

    @jakarta.transaction.Transactional
    void recordAt(java.time.OffsetDateTime at) {
        audit.recordAs("ada", "test.zone", "tenant acme", "a moment to show").at = at;
    }

    /** Keycloak's sign-in page, where the panel sends a browser first, speaks the browser's language too. */
    @Test
    void theSignInPageFollowsTheBrowser() {
        BrowserSession browser = new BrowserSession(panel.toString()).speaking("ja-JP,ja;q=0.9");
        String signIn = browser.follow(browser.get(panel + "servers")).body();
        assertTrue(signIn.contains("lang=\"ja\"") && signIn.contains("サインイン"), signIn);
        BrowserSession english = new BrowserSession(panel.toString()).speaking("en-US");
        assertTrue(english.follow(english.get(panel + "servers")).body().contains("Sign in to your account"));
    }

    @Test
    void theLanguageChosenInTheHeaderIsKeptForTheUserInAnyBrowser() {
        BrowserSession browser = signedIn("ja");
        HttpResponse<String> chosen = browser.submit("/servers?q=web", "/language", Map.of("language", "en"));
        assertEquals(303, chosen.statusCode());
        assertTrue(chosen.headers().firstValue("Location").orElseThrow().endsWith("/servers?q=web"), "back to the page it was on");
        assertTrue(browser.open("/servers").body().contains("<h1>Your servers</h1>"), "chosen over what the browser asks for");
        assertTrue(signedIn("ja").open("/servers").body().contains("<h1>Your servers</h1>"), "kept for the user, not the browser");

        HttpResponse<String> refused = browser.submit("/servers", "/language", Map.of("language", "fr"));
        String location = URLDecoder.decode(refused.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(location.contains("error=language: must be one of [en, ja]"), location);
        assertTrue(browser.open("/servers").body().contains("<h1>Your servers</h1>"), "a refused choice changes nothing");
    }

    /**
     * A refusal is shown in the page's language, the panel's own (a language it does not have) and a field's rule (Bean
     * Validation's); the API answers the same request in English whatever the client asks for, for scripts.
     */
    @Test
    void aRefusalIsInThePagesLanguageAndTheApiStaysEnglish() {
        BrowserSession browser = signedIn("ja");
        HttpResponse<String> refused = browser.submit("/servers", "/language", Map.of("language", "fr"));
        String location = URLDecoder.decode(refused.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(location.contains("error=表示言語は [en, ja] から選んでください。"), location);

        String order = browser.submit("/servers/new", "/servers", Map.of("hostname", "web1", "template", "busybox", "memoryMiB", "8",
                "cpus", "0.5", "diskMiB", "1024")).body();
        assertTrue(order.contains("memoryMiB: 16 以上の値にしてください"), order);

        String api = Api.as("cleo").header("Accept-Language", "ja").body("{\"hostname\":\"web1\",\"template\":\"busybox\",\"memoryMiB\":8}")
                .when().post("/api/v1/servers").then().statusCode(400).extract().path("detail");
        assertEquals("memoryMiB: must be greater than or equal to 16", api);
        assertEquals(io.corral.panel.common.EnglishValidation.class, io.quarkus.arc.Arc.container()
                .select(org.hibernate.validator.spi.messageinterpolation.LocaleResolver.class).iterator().next().getClass().getSuperclass(),
                "asked first of the resolvers, in every start of the panel");
    }

    /** In a real browser (asking for English): the header's switch shows the pages in Japanese from then on. */
    @Test
    void aCustomerSwitchesToJapaneseInTheHeader() throws Exception {
        org.openqa.selenium.WebDriver browser = Chromium.start();
        try {
            Chromium.signIn(browser, panel + "servers", "cleo");
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30));
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.tagName("h1"), "Your servers"));
            new org.openqa.selenium.support.ui.Select(browser.findElement(org.openqa.selenium.By.name("language"))).selectByValue("ja");
            browser.findElement(org.openqa.selenium.By.cssSelector("header .language button")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.tagName("h1"), "ご利用中のサーバー"));
            Chromium.shot(browser, "language-ja-servers");
            browser.get(panel + "servers/new");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.tagName("h1"), "サーバーの作成"));
            assertTrue(browser.findElement(org.openqa.selenium.By.id("allowance")).getText().contains("ご契約プラン"));
            Chromium.shot(browser, "language-ja-order");
        } finally {
            browser.quit();
        }
    }

    private BrowserSession signedIn(String acceptLanguage) {
        BrowserSession browser = new BrowserSession(panel.toString()).speaking(acceptLanguage);
        assertEquals(200, browser.signIn("/servers", "cleo", "cleo-password").statusCode());
        return browser;
    }
}
