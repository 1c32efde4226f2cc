package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorRequest;
import io.lvscp.director.DirectorService;
import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerRequest;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceRequest;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
 * An operator adds a real server in a real browser: Debian's headless Chromium, driven
 * through Debian's chromedriver by Selenium. Both paths are given explicitly, so
 * Selenium Manager (which would download a driver) is never run.
 *
 * <p>Without Chromium or chromedriver the test is skipped on a workstation, but fails
 * in CI (environment variable {@code CI=true}), where the browser must be installed.
 *
 * <p>With {@code -Dlvscp.screenshots=/some/dir} it saves PNGs of the pages it sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "lvs.node-name=browser-test-node",
        "lvs.dataplane=dry-run"})
class AddRealServerBrowserTests {

    /** How long to wait for a page to show what is expected; a bound, not a timing. */
    static final Duration PAGE_WAIT = Duration.ofSeconds(30);

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
    io.lvscp.security.UserService users;

    Chromium chromium;
    WebDriver driver;
    long vsId;

    @BeforeAll
    static void browserIsInstalled() {
        Chromium.requireInstalled("AddRealServerBrowserTests");
    }

    @BeforeEach
    void clusterWithOneRealServer() {
        clusters.create(new ClusterRequest("lab", "Two directors in VRRP master/backup", null));
        directors.create("lab", new DirectorRequest("lvs1", "172.18.42.11", "eth0", null));
        directors.create("lab", new DirectorRequest("lvs2", "172.18.42.12", "eth0", null));
        instances.create("lab", new VrrpInstanceRequest("VI_1", 110, "eth0", 2, 1, true, 0, "PASS", "s3cret", null, null, null,
                List.of(new PriorityDto("lvs1", 150), new PriorityDto("lvs2", 100)),
                List.of(new VipDto("172.18.42.42", 32, null, "eth0:1")), null));
        VirtualServerResponse vs = virtualServers.create("lab", new VirtualServerRequest(null, "VI_1", "172.18.42.42", 80, "TCP", null,
                "rr", "DR", null, null, null, null, null, null, null, null, null, null, null));
        vsId = vs.id();
        realServers.create("lab", vsId, new RealServerRequest("172.18.42.21", null, 1, null, null, null, null,
                new HealthCheck("HTTP_GET", "/", null, null, null, null, null, null, null, null, null), null));
    }

    @BeforeEach
    void startBrowser() throws IOException {
        chromium = Chromium.start();
        driver = chromium.driver;
        chromium.login(port, "browser-operator", io.lvscp.support.TestUsers.ensure(users, "browser-operator", "operator"));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void operatorFixesRefusedInputAndAddsARealServer() throws IOException {
        driver.get("http://127.0.0.1:" + port + "/");
        WebElement lab = waitFor(By.cssSelector("tr[data-cluster='lab'] a"));
        lab.click();

        WebElement vs = waitFor(By.cssSelector("section[data-vs='172.18.42.42:80/tcp']"));
        assertThat(vs.findElements(By.cssSelector("tr[data-rs]"))).hasSize(1);
        assertThat(driver.findElement(By.id("vrrp-instances")).getText()).contains("VI_1", "110", "eth0:1", "lvs1: 150", "lvs2: 100");
        vs.findElement(By.linkText("Add real server")).click();

        // a weight out of range and an address that is not one
        waitFor(By.id("address")).sendKeys("172.18.42.999");
        WebElement weight = driver.findElement(By.id("weight"));
        weight.clear();
        weight.sendKeys("70000");
        driver.findElement(By.id("submit")).click();

        WebElement addressError = waitFor(By.id("address-error"));
        assertThat(addressError.isDisplayed()).isTrue();
        assertThat(addressError.getText()).contains("172.18.42.999").contains("not a valid IPv4 address");
        assertThat(driver.findElement(By.id("weight-error")).getText()).contains("must be between 0 and 65535");
        assertThat(driver.findElement(By.id("error-summary")).getText()).contains("The real server was not added");
        assertThat(driver.findElement(By.id("address")).getAttribute("value")).isEqualTo("172.18.42.999");
        assertThat(driver.findElement(By.id("weight")).getAttribute("value")).isEqualTo("70000");
        assertThat(driver.findElement(By.id("weight")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("form-with-errors");
        assertThat(realServers.all("lab", vsId)).hasSize(1);

        // fixed: a valid address, weight 2 and an HTTP check of /health
        WebElement address = driver.findElement(By.id("address"));
        address.clear();
        address.sendKeys("172.18.42.250");
        weight = driver.findElement(By.id("weight"));
        weight.clear();
        weight.sendKeys("2");
        new Select(driver.findElement(By.id("type"))).selectByValue("HTTP_GET");
        driver.findElement(By.id("path")).sendKeys("/health");
        driver.findElement(By.id("submit")).click();

        WebElement row = waitFor(By.cssSelector("tr[data-rs='172.18.42.250:80']"));
        assertThat(driver.getCurrentUrl()).contains("/ui/clusters/lab");
        assertThat(row.getText()).contains("172.18.42.250:80", "2", "enabled", "HTTP_GET", "/health");
        assertThat(row.getAttribute("class")).contains("added");
        assertThat(driver.findElement(By.id("flash")).getText()).isEqualTo("Added real server 172.18.42.250:80 to 172.18.42.42:80/tcp.");
        assertThat(driver.findElements(By.cssSelector("section[data-vs='172.18.42.42:80/tcp'] tr[data-rs]"))).hasSize(2);
        screenshot("cluster-page");

        List<RealServerResponse> stored = realServers.all("lab", vsId);
        assertThat(stored).hasSize(2);
        RealServerResponse added = stored.get(1);
        assertThat(added.address()).isEqualTo("172.18.42.250");
        assertThat(added.port()).isEqualTo(80);
        assertThat(added.weight()).isEqualTo(2);
        assertThat(added.healthCheck().type()).isEqualTo("HTTP_GET");
        assertThat(added.healthCheck().path()).isEqualTo("/health");
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(driver, PAGE_WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private void screenshot(String name) throws IOException {
        String dir = System.getProperty("lvscp.screenshots");
        if (dir == null || dir.isBlank() || !(driver instanceof ChromeDriver chrome)) {
            return;
        }
        Path target = Path.of(dir).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(chrome.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
