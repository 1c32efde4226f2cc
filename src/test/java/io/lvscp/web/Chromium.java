package io.lvscp.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through Debian's chromedriver, both named explicitly (so
 * Selenium Manager never downloads anything). Missing: skipped on a workstation, a
 * failure under CI=true.
 */
final class Chromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("lvscp.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("lvscp.chromedriver", "/usr/bin/chromedriver"));

    final WebDriver driver;
    private final Path profile;

    private Chromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static void requireInstalled(String test) {
        String missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).map(Path::toString)
                .reduce((a, b) -> a + " and " + b).orElse(null);
        if (missing == null) {
            return;
        }
        String reason = missing + " not found: install Debian's chromium and chromium-driver packages";
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but " + reason);
        }
        System.out.println("Skipping " + test + ": " + reason);
        Assumptions.assumeTrue(false, reason);
    }

    static Chromium start() throws IOException {
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1200", "--user-data-dir=" + profile);
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    /** Signs in through the login form, as a person would; waits until the browser has left the login page. */
    void login(int port, String username, String password) {
        driver.get("http://127.0.0.1:" + port + "/login");
        driver.findElement(org.openqa.selenium.By.id("username")).sendKeys(username);
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.id("sign-in")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(30))
                .until(d -> !d.getCurrentUrl().contains("/login"));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
