package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An operator moves the article's site over with the import page, in a real Chromium: a bad file, a preview, the import. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:importpage;DB_CLOSE_DELAY=-1",
        "lvs.node-name=import-page-node",
        "lvs.dataplane=dry-run"})
class ImportPageBrowserTests {

    static final Path FILES = Path.of("src/test/resources/keepalived");

    @LocalServerPort
    int port;
    @Autowired
    VirtualServerService virtualServers;
    @Autowired
    RealServerService realServers;

    Chromium chromium;

    @BeforeAll
    static void installed() {
        Chromium.requireInstalled("ImportPageBrowserTests");
    }

    @BeforeEach
    void start() throws IOException {
        chromium = Chromium.start();
        chromium.login(port, io.lvscp.support.TestUsers.ADMIN, io.lvscp.support.TestUsers.ADMIN_PASSWORD);
    }

    @AfterEach
    void stop() throws IOException {
        chromium.close();
    }

    WebElement waitFor(By by) {
        try {
            return new WebDriverWait(chromium.driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited 30 s for " + by + "; the page shows: "
                    + chromium.driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    void fill(String cluster, String directors, boolean preview, Path... files) {
        WebElement c = waitFor(By.id("cluster"));
        c.clear();
        c.sendKeys(cluster);
        StringBuilder paths = new StringBuilder();
        for (Path f : files) {
            paths.append(paths.isEmpty() ? "" : "\n").append(f.toAbsolutePath());
        }
        chromium.driver.findElement(By.id("files")).sendKeys(paths.toString());
        WebElement d = chromium.driver.findElement(By.id("directors"));
        d.clear();
        d.sendKeys(directors);
        WebElement box = chromium.driver.findElement(By.id("dryRun"));
        if (box.isSelected() != preview) {
            box.click();
        }
        chromium.driver.findElement(By.cssSelector("#import-form button[type=submit]")).click();
    }

    @Test
    void previewThenImportTheArticlesTwoDirectors() throws Exception {
        String directors = "seed-master.conf=page-lvs1@172.18.42.100\nseed-backup.conf=page-lvs2@172.18.42.200";
        chromium.driver.get("http://127.0.0.1:" + port + "/ui/clusters");
        chromium.driver.findElement(By.linkText("Import")).click();

        // a file keepalived itself would refuse: named by file and line, nothing written
        fill("page", "", true, FILES.resolve("errors/mcast-typo.conf"));
        assertThat(waitFor(By.id("error-summary")).getText()).contains("Nothing was imported").contains("mcast-typo.conf:15")
                .contains("244.0.42.20");

        // the preview lists what would be created and writes nothing
        chromium.driver.get("http://127.0.0.1:" + port + "/ui/import");
        fill("page", directors, true, FILES.resolve("seed-master.conf"), FILES.resolve("seed-backup.conf"));
        WebElement result = waitFor(By.id("import-result"));
        assertThat(result.getText()).contains("Preview").contains("Nothing was written")
                .contains("172.18.42.111:80 of 172.18.42.42:80/tcp");
        assertThat(chromium.driver.findElements(By.cssSelector("#changes tr[data-action='CREATE']"))).hasSize(1 + 2 + 1 + 1 + 2);
        assertThat(chromium.driver.findElement(By.id("warnings")).getText()).contains("seed-master.conf:");
        assertThat(chromium.driver.findElements(By.linkText("page"))).isEmpty();

        // the import itself
        chromium.driver.get("http://127.0.0.1:" + port + "/ui/import");
        fill("page", directors, false, FILES.resolve("seed-master.conf"), FILES.resolve("seed-backup.conf"));
        assertThat(waitFor(By.id("result-title")).getText()).isEqualTo("Imported");
        chromium.driver.findElement(By.linkText("page")).click();
        assertThat(waitFor(By.cssSelector("section[data-vs='172.18.42.42:80/tcp']")).getText()).contains("172.18.42.111:80")
                .contains("172.18.42.222:80");
        assertThat(virtualServers.get("page", virtualServers.list("page", org.springframework.data.domain.Pageable.unpaged())
                .content().get(0).id()).label()).isEqualTo("172.18.42.42:80/tcp");
    }
}
