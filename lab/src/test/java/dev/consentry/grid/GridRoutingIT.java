package dev.consentry.grid;

import dev.consentry.appium.AppiumServer;
import dev.consentry.profile.DeviceProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.MutableCapabilities;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real hub and two relay nodes, each in front of its own real Appium 3 server with the fake driver: proves that
 * generated relay configs register, that {@code lab:profile} picks the handset, and that commands reach Appium.
 * Everything is started once for the class and stopped in {@link #stopLab()}, even when start-up fails half-way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GridRoutingIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** Logs and node configs stay in target/ for reading after a failed run. */
    private final Path run = Path.of("target", "grid-routing-it").toAbsolutePath();

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private GridHub hub;
    private RelayNode nodeA;
    private RelayNode nodeB;
    private final DeviceProfile profileA = GridConfigTest.profile("fake-a", "emulator-5554");
    private final DeviceProfile profileB = GridConfigTest.profile("fake-b", "emulator-5556");

    @BeforeAll
    void startLab() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // Hub and both Appium servers at once: separate processes that mostly wait on their own start-up.
            Future<GridHub> hubStart = pool.submit(started(() -> GridHub.builder()
                    .withLogFile(run.resolve("hub.log")).withStartupTimeout(STARTUP).start()));
            Future<AppiumServer> appiumA = pool.submit(started(() -> appium("a")));
            Future<AppiumServer> appiumB = pool.submit(started(() -> appium("b")));
            hub = hubStart.get(90, TimeUnit.SECONDS);

            Future<RelayNode> a = pool.submit(started(() -> node(profileA, appiumA.get(90, TimeUnit.SECONDS), "a")));
            Future<RelayNode> b = pool.submit(started(() -> node(profileB, appiumB.get(90, TimeUnit.SECONDS), "b")));
            nodeA = a.get(90, TimeUnit.SECONDS);
            nodeB = b.get(90, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stopLab() {
        synchronized (started) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("stopping failed: " + e);
                }
            }
        }
    }

    @Test
    void bothNodesRegisterWithTheirProfile() {
        assertThat(hub.nodes()).hasSize(2).allMatch(GridNode::isUp);
        GridNode b = hub.nodes().stream().filter(n -> n.uri().equals(nodeB.uri())).findFirst().orElseThrow();
        assertThat(b.offers("lab:profile", "fake-b")).isTrue();
        assertThat(b.offers("lab:profile", "fake-a")).isFalse();
        assertThat(b.stereotypes()).singleElement().satisfies(s -> assertThat(s.slots()).isEqualTo(1));
    }

    @Test
    void sessionForProfileBLandsOnNodeB() throws Exception {
        RemoteWebDriver driver = session("fake-b");
        try {
            GridSession session = hub.sessions().stream()
                    .filter(s -> s.id().equals(driver.getSessionId().toString())).findFirst().orElseThrow();
            assertThat(session.nodeUri()).isEqualTo(nodeB.uri());
            assertThat(session.capabilities()).containsEntry("lab:profile", "fake-b");
            assertThat(driver.findElement(byId("handset-b")).getTagName()).isEqualTo("MockButton");
            assertThat(driver.findElements(byId("handset-a"))).isEmpty();
        } finally {
            driver.quit();
        }
    }

    @Test
    void commandsReachTheRealAppiumServerBehindTheNode() throws Exception {
        RemoteWebDriver driver = session("fake-a");
        try {
            assertThat(driver.findElements(byId("handset-b"))).isEmpty();
            WebElement note = driver.findElement(byId("list")).findElement(byId("note"));
            note.sendKeys("typed through the Grid");
            assertThat(note.getText()).isEqualTo("typed through the Grid");
            assertThat(driver.findElement(byId("handset-a")).getTagName()).isEqualTo("MockButton");
        } finally {
            driver.quit();
        }
    }

    @Test
    void unknownProfileIsRejectedAtOnce() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> session("no-such-handset").quit())
                .isInstanceOf(SessionNotCreatedException.class);
        // Without reject-unsupported-caps this would wait out the 300 s session request timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    // RemoteWebDriver turns By.id (and AppiumBy.id) into a CSS selector with escapes the fake driver cannot read.
    // (It also implements isDisplayed and getPageSource with browser JavaScript: avoided here for that reason.)
    private static By byId(String id) {
        return By.xpath("//*[@id='" + id + "']");
    }

    private RemoteWebDriver session(String profile) throws Exception {
        MutableCapabilities caps = new MutableCapabilities();
        caps.setCapability("platformName", "Fake");
        caps.setCapability("lab:profile", profile);
        return new RemoteWebDriver(new URL(hub.url() + "/"), caps);
    }

    private AppiumServer appium(String which) {
        return AppiumServer.builder().withLogFile(run.resolve("appium-" + which + ".log"))
                .withStartupTimeout(STARTUP).start();
    }

    private RelayNode node(DeviceProfile profile, AppiumServer appium, String which) throws URISyntaxException {
        Map<String, Object> stereotype = new LinkedHashMap<>();
        stereotype.put("platformName", "Fake");
        stereotype.put("appium:automationName", "Fake");
        stereotype.put("appium:app", fakeApp(which).toString());
        stereotype.put("lab:profile", profile.name());
        RelayNodeConfig config = GridConfig.relay(profile.name(), stereotype, appium.url(), hub.address(), 0);
        Path toml = GridConfig.write(run, config);
        return RelayNode.builder().withConfig(toml).withHub(hub).withPort(0)
                .withLogFile(run.resolve("node-" + which + ".log")).withStartupTimeout(STARTUP).start();
    }

    private Path fakeApp(String which) throws URISyntaxException {
        return Path.of(getClass().getResource("/grid-routing-it/fake-app-" + which + ".xml").toURI());
    }

    /** Registers whatever the task starts, as soon as it has started, so stopLab() stops it. */
    private <T extends AutoCloseable> Callable<T> started(Callable<T> start) {
        return () -> {
            T thing = start.call();
            synchronized (started) {
                started.push(thing);
            }
            return thing;
        };
    }
}
