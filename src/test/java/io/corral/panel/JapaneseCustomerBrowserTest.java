package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.usage.UsageIngest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** CustomerBrowserTest's customer flow once in Japanese (issue 19), its screenshots in target/screenshots/ja-*.png. */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class JapaneseCustomerBrowserTest extends WithRealAgent {
    @TestHTTPResource("/")
    URL panel;
    @Inject
    UsageIngest ingest;
    @Inject
    DataSource db;

    /**
     * The same customer's flow in Japanese, in a browser set to Japanese in Tokyo: the sign-in page, the headings, a
     * refused order's reason, the server running, its price in yen and the time of its operations in Tokyo's zone.
     */
    @Test
    void aCustomerReadingJapaneseOrdersAndDestroysAServer() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        int yen = admin.plan("ブラウザ", 3);
        admin.priceInYen(yen, "1500");
        admin.tenant("山田商店", "yamada", yen, "otto");
        admin.host("local", agent);
        WebDriver japanese = Chromium.start("ja", "Asia/Tokyo");
        try {
            WebDriverWait wait = new WebDriverWait(japanese, Duration.ofSeconds(60));
            japanese.get(panel + "servers");
            assertEquals("ja", ((JavascriptExecutor) japanese).executeScript("return document.documentElement.lang"), "Keycloak's sign-in page");
            Chromium.shot(japanese, "ja-0-sign-in");
            japanese.findElement(By.id("username")).sendKeys("otto");
            japanese.findElement(By.id("password")).sendKeys("otto-password");
            japanese.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "ご利用中のサーバー"));
            assertTrue(japanese.findElement(By.cssSelector(".empty")).getText().startsWith("サーバーはまだありません。"));
            japanese.findElement(By.linkText("サーバーを作成")).click();
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "サーバーの作成"));

            japanese.findElement(By.name("hostname")).sendKeys("bad_name.example");
            japanese.findElement(By.cssSelector("main button[type=submit]")).click();
            String refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".error"))).getText();
            assertTrue(refusal.startsWith("ホスト名（hostname）は RFC 1123 の形式にしてください。"), refusal);
            Chromium.shot(japanese, "ja-1-refused-order");
            japanese.findElement(By.name("hostname")).clear();
            japanese.findElement(By.name("hostname")).sendKeys("mise.example.jp");
            for (String[] field : new String[][] {{"memoryMiB", "128"}, {"cpus", "0.5"}, {"diskMiB", "256"}}) {
                japanese.findElement(By.name(field[0])).clear();
                japanese.findElement(By.name(field[0])).sendKeys(field[1]);
            }
            japanese.findElement(By.cssSelector("main button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "稼働中"));
            long serverId = Long.parseLong(japanese.getCurrentUrl().replaceAll(".*/servers/(\\d+).*", "$1"));
            CustomerBrowserTest.measuredHour(ingest, db, serverId);
            japanese.navigate().refresh(); // the zone's cookie was set by the first page; this one is made with it, and priced
            wait.until(ExpectedConditions.textToBe(By.cssSelector("h1 .badge"), "稼働中"));
            String page = japanese.findElement(By.tagName("main")).getText();
            assertTrue(page.contains("今月の使用量") && page.contains("最近の操作") && page.contains("スナップショットとバックアップ"), page);
            assertTrue(page.contains("￥"), "the plan's price in yen: " + page);
            assertTrue(page.matches("(?s).*\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{1,2}:\\d{2}:\\d{2} JST.*"), "operations' times in Tokyo's zone: " + page);
            Chromium.shot(japanese, "ja-2-server-running");

            japanese.findElement(By.cssSelector("form[action$='/destroy'] button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.urlMatches(".*/servers$"));
            assertTrue(japanese.findElement(By.cssSelector(".empty")).getText().startsWith("サーバーはまだありません。"));
            Chromium.shot(japanese, "ja-3-after-destroy");
        } finally {
            japanese.quit();
        }
    }
}
