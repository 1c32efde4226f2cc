package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorRequest;
import io.lvscp.director.DirectorService;
import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerRequest;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceRequest;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import io.lvscp.security.UserService;
import io.lvscp.support.TestUsers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator's console in a real browser (Debian's headless Chromium through chromedriver, as in
 * {@link AddRealServerBrowserTests}, whose Spring context it shares: same properties). This node,
 * {@code browser-test-node}, is one of the two directors of cluster "console", so its dry-run data
 * plane, heartbeat and VRRP engine are the live state the page shows; the other director never runs.
 *
 * <p>The waits are bounds, not timings: 30 s for a page to show what it must, and 2.5 s for a change
 * made through the REST API to appear on an open page (the console promises 2 s).
 *
 * <p>With {@code -Dlvscp.screenshots=/some/dir} it saves PNGs of the pages at 1280 and 420 px wide.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "lvs.node-name=browser-test-node",
        "lvs.dataplane=dry-run"})
class ConsoleBrowserTests {

    static final String NODE = "browser-test-node";
    static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    /** A change made elsewhere must be on an open page within 2 s; 2.5 s leaves room for the browser's own work. */
    static final Duration LIVE_BOUND = Duration.ofMillis(2500);

    @LocalServerPort
    int port;
    @Autowired
    ClusterService clusters;
    @Autowired
    DirectorService directors;
    @Autowired
    VrrpInstanceService instances;
    @Autowired
    VirtualServerService virtualServers;
    @Autowired
    RealServerService realServers;
    @Autowired
    UserService users;

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Chromium chromium;
    static WebDriver driver;
    static long vsId;
    static int nextAddress = 10;

    @BeforeAll
    static void startBrowser() throws IOException {
        Chromium.requireInstalled("ConsoleBrowserTests");
        chromium = Chromium.start();
        driver = chromium.driver;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void clusterWithThisNodeAsADirector() {
        driver.manage().deleteAllCookies();
        driver.manage().window().setSize(new Dimension(1280, 1200));
        if (vsId != 0) {
            return;
        }
        clusters.create(new ClusterRequest("console", "This node and a peer that never starts", null));
        directors.create("console", new DirectorRequest(NODE, "172.18.43.1", "eth0", null));
        directors.create("console", new DirectorRequest("lvs-peer", "172.18.43.2", "eth0", null));
        instances.create("console", new VrrpInstanceRequest("VI_WEB", 120, "eth0", 2, 1, true, 0, "PASS", "s3cret", null, null, null,
                List.of(new PriorityDto(NODE, 150), new PriorityDto("lvs-peer", 100)), List.of(new VipDto("172.18.43.100", 32, null, null)),
                null));
        vsId = virtualServers.create("console", new VirtualServerRequest(null, "VI_WEB", "172.18.43.100", 80, "TCP", null, "wlc", "DR",
                null, null, null, null, null, null, null, null, null, null, null)).id();
        TestUsers.ensure(users, "browser-operator", "operator");
        TestUsers.ensure(users, "browser-viewer", "viewer");
    }

    /** A new real server of the cluster's virtual server, through the service (as "system"). */
    long realServer() {
        String address = "172.18.43." + (nextAddress++);
        return realServers.create("console", vsId, new RealServerRequest(address, null, 3, null, null, null, null,
                new HealthCheck("TCP_CHECK", null, null, null, null, null, null, null, null, null, null), null)).id();
    }

    void login(String user) {
        String password = TestUsers.ADMIN.equals(user) ? TestUsers.ADMIN_PASSWORD : TestUsers.passwordOf(user);
        chromium.login(port, user, password);
    }

    void openCluster() {
        driver.get("http://127.0.0.1:" + port + "/ui/clusters/console");
        waitFor(By.id("live"));
    }

    @Test
    void anOperatorDrainsARealServerAndThePageShowsItDrainingThenOutOfIpvs() throws IOException {
        long id = realServer();
        login("browser-operator");
        openCluster();
        By row = By.id("rs-" + id);
        // this node's dry-run data plane holds it (the agent applies a change within a second)
        waitUntil(PAGE_WAIT, d -> "true".equals(d.findElement(row).getAttribute("data-in-ipvs")));
        assertThat(driver.findElement(row).findElement(By.cssSelector("td.ipvs")).getText()).contains("weight 3");
        // heartbeats: this node in sync, the peer never seen; VRRP state of this node read live
        waitUntil(PAGE_WAIT, d -> "in-sync".equals(heartbeat(NODE)));
        assertThat(heartbeat("lvs-peer")).isEqualTo("never-seen");
        WebElement vrrp = driver.findElement(By.cssSelector("tr[data-instance='VI_WEB']"));
        assertThat(vrrp.findElement(By.cssSelector("li[data-director='" + NODE + "']")).getText()).contains("(live)");
        assertThat(vrrp.findElement(By.cssSelector("li[data-director='lvs-peer']")).getAttribute("data-state")).isEqualTo("unknown");
        screenshot("cluster-1280");

        driver.findElement(By.id("drain-" + id)).click();

        WebElement flash = waitFor(By.id("flash"));
        assertThat(flash.getText()).startsWith("Draining real server 172.18.43.");
        assertThat(driver.findElement(row).getAttribute("data-state")).isEqualTo("draining");
        assertThat(driver.findElement(row).findElement(By.cssSelector(".state")).getText()).isEqualTo("draining");
        assertThat(driver.findElements(By.id("drain-" + id))).as("no Drain button on a draining server").isEmpty();
        // no connections in a dry run: it leaves IPVS at the agent's next round, as the kernel's would
        waitUntil(PAGE_WAIT, d -> "false".equals(d.findElement(row).getAttribute("data-in-ipvs")));
        assertThat(driver.findElement(row).findElement(By.cssSelector("td.ipvs")).getText()).startsWith("drained: out of IPVS");
        // each director's progress as it last reported it (this node's agent writes it after its round)
        waitUntil(PAGE_WAIT, d -> d.findElement(row).findElement(By.cssSelector("td.ipvs")).getText()
                .contains(NODE + ": drained, 0 active, 0 inactive, 0 templates, out of IPVS"));
        assertThat(driver.findElement(row).getAttribute("data-state")).isEqualTo("draining");
        screenshot("cluster-drained-1280");

        // enable it again from the page: back in IPVS
        driver.findElement(By.id("enable-" + id)).click();
        waitUntil(PAGE_WAIT, d -> "true".equals(d.findElement(row).getAttribute("data-in-ipvs")));
        assertThat(driver.findElement(row).getAttribute("data-state")).isEqualTo("enabled");
    }

    @Test
    void aViewerSeesNoWriteControlsAndADirectWriteUrlSaysWhyItIsRefused() {
        long id = realServer();
        login("browser-viewer");
        openCluster();
        WebElement live = waitFor(By.id("rs-" + id));
        assertThat(live.getText()).contains("172.18.43.");
        WebElement main = driver.findElement(By.id("main"));
        assertThat(main.findElements(By.cssSelector("form"))).isEmpty();
        assertThat(main.findElements(By.cssSelector("button"))).isEmpty();
        assertThat(main.findElements(By.linkText("Add real server"))).isEmpty();
        assertThat(driver.findElements(By.linkText("Import"))).isEmpty();
        assertThat(driver.findElement(By.id("sign-out")).isDisplayed()).isTrue();

        driver.get("http://127.0.0.1:" + port + "/ui/clusters/console/virtual-servers/" + vsId + "/real-servers/" + id + "/remove");
        if (driver.findElements(By.id("error-message")).isEmpty()) {
            System.out.println("403 page as shown: " + driver.getPageSource());
        }
        WebElement message = waitFor(By.id("error-message"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("403 Forbidden");
        assertThat(message.getText()).contains("signed in as browser-viewer with the role viewer").doesNotContain("reload");
    }

    @Test
    void aChangeMadeThroughTheApiAppearsOnAnOpenPageWithinTwoSeconds() throws Exception {
        long id = realServer();
        login("browser-operator");
        openCluster();
        By row = By.id("rs-" + id);
        waitUntil(PAGE_WAIT, d -> "true".equals(d.findElement(row).getAttribute("data-in-ipvs")));
        String path = "/api/v1/clusters/console/virtual-servers/" + vsId + "/real-servers/" + id;

        assertThat(api("POST", path + "/disable", null, TestUsers.basic("browser-operator", TestUsers.passwordOf("browser-operator"))))
                .isEqualTo(200);
        waitUntil(LIVE_BOUND, d -> "disabled".equals(d.findElement(row).getAttribute("data-state")));

        assertThat(api("PATCH", path, "{\"weight\": 7}", TestUsers.adminBasic())).isEqualTo(200);
        waitUntil(LIVE_BOUND, d -> "7".equals(d.findElement(row).findElement(By.cssSelector("td.weight")).getText()));

        // the page polls on: a later change shows too, and the row's buttons follow the state
        assertThat(api("POST", path + "/enable", null, TestUsers.adminBasic())).isEqualTo(200);
        waitUntil(LIVE_BOUND, d -> "enabled".equals(d.findElement(row).getAttribute("data-state")));
        waitUntil(PAGE_WAIT, d -> !d.findElements(By.id("drain-" + id)).isEmpty());
    }

    @Test
    void anAdminFixesARefusedWeightThenRemovesARealServerAfterConfirming() throws IOException {
        long id = realServer();
        login(TestUsers.ADMIN);
        openCluster();
        waitFor(By.id("weight-" + id)).click();

        WebElement weight = waitFor(By.id("weight"));
        assertThat(weight.getAttribute("value")).isEqualTo("3");
        weight.clear();
        weight.sendKeys("70000");
        driver.findElement(By.id("submit")).click();
        WebElement summary = waitFor(By.id("error-summary"));
        assertThat(summary.getText()).contains("The weight was not changed", "must be between 0 and 65535");
        waitUntil(PAGE_WAIT, d -> "error-summary".equals(((JavascriptExecutor) d).executeScript("return document.activeElement.id")));
        assertThat(driver.findElement(By.id("weight")).getAttribute("value")).isEqualTo("70000");
        screenshot("weight-error-1280");

        weight = driver.findElement(By.id("weight"));
        weight.clear();
        weight.sendKeys("5");
        driver.findElement(By.id("submit")).click();
        assertThat(waitFor(By.id("flash")).getText()).endsWith("is now 5.");
        assertThat(driver.findElement(By.cssSelector("#rs-" + id + " td.weight")).getText()).isEqualTo("5");

        driver.findElement(By.id("remove-" + id)).click();
        WebElement confirm = waitFor(By.id("confirm-remove"));
        assertThat(driver.findElement(By.id("confirm")).getText()).contains("its open connections are cut");
        screenshot("remove-confirm-1280");
        assertThat(realServers.all("console", vsId).stream().anyMatch(r -> r.id() == id)).as("nothing removed before confirming").isTrue();
        confirm.click();
        assertThat(waitFor(By.id("flash")).getText()).startsWith("Removed real server 172.18.43.");
        assertThat(driver.findElements(By.id("rs-" + id))).isEmpty();
        assertThat(realServers.all("console", vsId).stream().noneMatch(r -> r.id() == id)).isTrue();
    }

    @Test
    void theEventsPageFiltersByClusterKindActorAndTime() throws IOException {
        long id = realServer();
        String before = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now().minusSeconds(2));
        login("browser-operator");
        openCluster();
        waitFor(By.id("drain-" + id)).click();
        waitFor(By.id("flash"));

        driver.get("http://127.0.0.1:" + port + "/ui/events");
        new Select(waitFor(By.id("cluster"))).selectByValue("console");
        new Select(driver.findElement(By.id("kind"))).selectByValue("CONFIG_CHANGE");
        driver.findElement(By.id("actor")).sendKeys("browser-operator");
        driver.findElement(By.id("apply-filter")).click();

        waitFor(By.id("events"));
        List<WebElement> rows = driver.findElements(By.cssSelector("#events tbody tr"));
        assertThat(rows).isNotEmpty();
        for (WebElement r : rows) {
            assertThat(r.getAttribute("data-actor")).isEqualTo("browser-operator");
            assertThat(r.getAttribute("data-kind")).isEqualTo("CONFIG_CHANGE");
            assertThat(r.getAttribute("data-cluster")).isEqualTo("console");
        }
        assertThat(rows.get(0).getText()).contains("DRAINING", "started draining real server 172.18.43.");
        screenshot("events-1280");

        // the same filter from a minute into the future: nothing; a time range around now: the drain
        String url = "http://127.0.0.1:" + port + "/ui/events?cluster=console&kind=CONFIG_CHANGE&actor=browser-operator";
        driver.get(url + "&since=" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC)
                .format(Instant.now().plusSeconds(120)));
        assertThat(waitFor(By.id("no-events")).getText()).isEqualTo("No events match.");
        driver.get(url + "&since=" + before);
        assertThat(waitFor(By.id("events")).getText()).contains("started draining");

        // a time that cannot be read: the summary says so and takes the focus
        driver.get("http://127.0.0.1:" + port + "/ui/events?since=yesterday");
        assertThat(waitFor(By.id("error-summary")).getText()).contains("From (UTC): 'yesterday' is not a time");
        waitUntil(PAGE_WAIT, d -> "error-summary".equals(((JavascriptExecutor) d).executeScript("return document.activeElement.id")));
    }

    @Test
    void at420PixelsWideSignOutIsOnScreenAndThePageDoesNotScrollSideways() throws IOException {
        long id = realServer();
        login("browser-operator");
        driver.manage().window().setSize(new Dimension(420, 900));
        openCluster();
        waitFor(By.id("rs-" + id));
        for (String page : List.of("/ui/clusters/console", "/ui/events", "/ui/clusters")) {
            driver.get("http://127.0.0.1:" + port + page);
            WebElement signOut = waitFor(By.id("sign-out"));
            JavascriptExecutor js = (JavascriptExecutor) driver;
            long viewport = ((Number) js.executeScript("return document.documentElement.clientWidth")).longValue();
            long pageWidth = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
            double right = ((Number) js.executeScript("return arguments[0].getBoundingClientRect().right", signOut)).doubleValue();
            assertThat(viewport).as("viewport of " + page).isLessThanOrEqualTo(420);
            assertThat(right).as("Sign out's right edge on " + page).isLessThanOrEqualTo(viewport);
            assertThat(pageWidth).as("page width of " + page).isLessThanOrEqualTo(viewport);
            screenshot(("420" + page.replace('/', '-')));
        }
        // keyboard: Tab from the top reaches the skip link first, then the links, then Sign out, each with a visible outline
        driver.get("http://127.0.0.1:" + port + "/ui/clusters/console");
        waitFor(By.id("live"));
        WebElement body = driver.findElement(By.tagName("body"));
        body.sendKeys(org.openqa.selenium.Keys.TAB);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        assertThat(js.executeScript("return document.activeElement.className")).isEqualTo("skip-link");
        boolean reachedSignOut = false;
        for (int i = 0; i < 10 && !reachedSignOut; i++) {
            driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            reachedSignOut = "sign-out".equals(js.executeScript("return document.activeElement.id"));
        }
        assertThat(reachedSignOut).as("Sign out reached with Tab").isTrue();
        assertThat(js.executeScript("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
    }

    private String heartbeat(String node) {
        return driver.findElement(By.cssSelector("tr[data-director='" + node + "'] td.heartbeat")).getAttribute("data-heartbeat");
    }

    private int api(String method, String path, String json, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "PATCH".equals(method) ? "application/merge-patch+json" : "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(driver, PAGE_WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void waitUntil(Duration bound, java.util.function.Function<WebDriver, Boolean> condition) {
        WebDriverWait wait = new WebDriverWait(driver, bound, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).ignoring(org.openqa.selenium.NoSuchElementException.class);
        wait.until(condition::apply);
    }

    private static void screenshot(String name) throws IOException {
        String dir = System.getProperty("lvscp.screenshots");
        if (dir == null || dir.isBlank() || !(driver instanceof ChromeDriver chrome)) {
            return;
        }
        Path target = Path.of(dir).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(chrome.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
