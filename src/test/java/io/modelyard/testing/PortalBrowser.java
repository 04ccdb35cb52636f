package io.modelyard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchSessionException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, installed by dev/test) driven
 * through WebDriver: the portal as a person sees it, JavaScript, CSP and all. Nothing is downloaded: the browser
 * and the driver are the machine's own.
 */
public final class PortalBrowser implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("modelyard.test.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("modelyard.test.chromedriver", "/usr/bin/chromedriver");

    private ChromeDriver driver;
    private final Path profile;
    private final String root;

    /** @param root the application's base URL, e.g. {@code http://localhost:41234} */
    public PortalBrowser(String root) {
        try {
            this.profile = Files.createTempDirectory("modelyard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.driver = startBrowser(profile);
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    private static ChromeDriver startBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(DRIVER).toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    public WebDriver driver() {
        return driver;
    }

    public String root() {
        return root;
    }

    public void open(String path) {
        driver.get(root + path);
    }

    /** Opens the portal and signs in on Keycloak's own login page. */
    public void signIn(TestUser user, String path) {
        try {
            open(path);
        } catch (NoSuchSessionException e) {
            // Chromium's renderer died before the test did anything (seen once on a loaded machine): nothing is
            // lost yet, so start a fresh browser rather than fail a test that has not begun.
            try {
                driver.quit();
            } catch (RuntimeException gone) {
                // the browser is already gone
            }
            driver = startBrowser(profile);
            open(path);
        }
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        driver.findElement(By.id("username")).sendKeys(user.username());
        driver.findElement(By.id("password")).sendKeys(user.password());
        driver.findElement(By.id("kc-login")).click();
        waitFor(d -> d.getCurrentUrl().startsWith(root + "/portal"));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public WebElement waitForElement(String css) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(condition, Duration.ofSeconds(30));
    }

    public <T> T waitFor(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition::apply);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** The portal's session cookie, for requests made outside the browser as the same person. */
    public String sessionCookie() {
        Cookie cookie = driver.manage().getCookieNamed("q_session_portal");
        return cookie == null ? null : cookie.getValue();
    }

    /** The page's CSRF token, as htmx sends it. */
    public String csrfToken() {
        return (String) script("return JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];");
    }

    /**
     * Form controls of the current page that a screen reader cannot name: no {@code <label for>}, no wrapping
     * label, no aria-label.
     */
    @SuppressWarnings("unchecked")
    public List<String> unlabelledControls() {
        return (List<String>) script("""
                return Array.from(document.querySelectorAll('input, select, textarea'))
                  .filter(e => e.type !== 'hidden')
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                               && !e.getAttribute('aria-labelledby'))
                  .map(e => e.outerHTML.substring(0, 120));""");
    }

    /** Messages the browser logged, e.g. Content-Security-Policy violations and script errors. */
    public List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** Saves a screenshot and the page source, for a failed test or the README. */
    public void capture(Path directory, String name) {
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(directory.resolve(name + ".html"), driver.getPageSource());
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not capture the page for " + name + ": " + e);
        }
    }


    /**
     * With {@code -Dportal-screenshots=<directory>}, saves the page as {@code <name>.png} there (how the
     * README's screenshots are made); otherwise does nothing.
     */
    public void screenshot(String name) {
        String directory = System.getProperty("portal-screenshots");
        if (directory == null || directory.isBlank()) {
            return;
        }
        try {
            Path dir = Path.of(directory);
            Files.createDirectories(dir);
            // The whole page: the headless window grows to the document's height for the shot.
            Dimension before = driver.manage().window().getSize();
            script("window.scrollTo(0, 0);");
            long height = (Long) script("return Math.min(4000, document.documentElement.scrollHeight);");
            driver.manage().window().setSize(new Dimension(before.getWidth(), (int) height + 120));
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(before);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile; the OS cleans what is left
        }
    }
}
