package dev.consentry.suite;

import dev.consentry.lab.LabParameters;
import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.HandsetPrep;
import dev.consentry.prep.PrepException;
import dev.consentry.prep.Shell;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import io.appium.java_client.android.AndroidDriver;
import io.qameta.allure.Allure;
import org.testng.ITestContext;
import org.testng.ITestResult;
import org.testng.Reporter;
import org.testng.annotations.BeforeTest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each handset's profile precheck (MIUI's "USB debugging (Security settings)"), once per handset before the suite
 * starts. A handset that fails it fails every flow at once with the same message, before a capture starts or the
 * handset is touched; the other handsets run. Prep still repeats the check before each flow (one getprop).
 */
public class HandsetPrechecks {
    static final String ATTRIBUTE = HandsetPrechecks.class.getName();

    /** A session on one handset, for the check's one shell command. */
    interface Session extends AutoCloseable {
        Shell shell();

        @Override
        void close();
    }

    @FunctionalInterface
    interface Sessions {
        Session open(DeviceProfile profile);
    }

    /**
     * A @BeforeTest of the suite's first &lt;test&gt; (TestNG injects no ITestContext into @BeforeSuite): it runs
     * before the first flow, once, and leaves its findings on the suite for every later test.
     */
    @BeforeTest(alwaysRun = true)
    public void checkEachHandsetOnce(ITestContext context) {
        LabParameters lab = LabParameters.from(context);
        List<DeviceProfile> profiles = lab.profiles().stream()
                .map(n -> DeviceProfileLoader.load(lab.profilesDir().resolve(n + ".yaml"))).toList();
        Map<String, String> failed = check(profiles, profile -> {
            AndroidDriver driver = FlowHarness.openSession(lab, profile);
            return new Session() {
                @Override
                public Shell shell() {
                    return new AppiumShell(driver, Duration.ofSeconds(30));
                }

                @Override
                public void close() {
                    driver.quit();
                }
            };
        });
        context.getSuite().setAttribute(ATTRIBUTE, failed);
        // In the report, beside the suite's set-up: which handsets were checked and what came of it.
        profiles.stream().filter(p -> p.precheck().isPresent()).forEach(p -> Allure.step("Precheck " + p.name()
                + " (`" + p.precheck().get().command() + "`): " + failed.getOrDefault(p.name(), "passed")));
    }

    /** Profile name to the precheck's message, for every handset whose precheck failed. */
    static Map<String, String> check(List<DeviceProfile> profiles, Sessions sessions) {
        Map<String, String> failed = new TreeMap<>();
        for (DeviceProfile p : profiles) {
            if (p.precheck().isEmpty()) {
                continue;
            }
            try (Session s = sessions.open(p)) {
                HandsetPrep.precheck(s.shell(), p);
            } catch (PrepException e) {
                failed.put(p.name(), e.getMessage());
            } catch (RuntimeException e) {
                // No session: each flow opens its own and reports why, as without a precheck.
            }
        }
        return Map.copyOf(failed);
    }

    /** Throws the suite's precheck message for this handset, if it failed; nothing outside a suite run. */
    static void requirePassed(String profile) {
        ITestResult current = Reporter.getCurrentTestResult();
        if (current != null) {
            failure(current.getTestContext().getSuite().getAttribute(ATTRIBUTE), profile).ifPresent(why -> {
                throw new PrepException(why);
            });
        }
    }

    static Optional<String> failure(Object attribute, String profile) {
        return attribute instanceof Map<?, ?> failed && failed.get(profile) instanceof String why
                ? Optional.of(why) : Optional.empty();
    }
}
