package dev.consentry.allure;

import org.testng.ITestListener;
import org.testng.ITestResult;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Picks up the {@link HandsetFacts} each flow test read from its handset, for the run's environment section. */
public final class HandsetFactsCollector implements ITestListener {
    /** The TestNG result attribute flow tests leave their handset's facts under. */
    public static final String ATTRIBUTE = HandsetFacts.class.getName();

    private final Map<String, HandsetFacts> byProfile = new ConcurrentHashMap<>();

    @Override
    public void onTestSuccess(ITestResult r) {
        collect(r);
    }

    @Override
    public void onTestFailure(ITestResult r) {
        collect(r);
    }

    @Override
    public void onTestFailedButWithinSuccessPercentage(ITestResult r) {
        collect(r);
    }

    private void collect(ITestResult r) {
        if (r.getAttribute(ATTRIBUTE) instanceof HandsetFacts f) {
            byProfile.put(f.profile(), f);
        }
    }

    public Collection<HandsetFacts> facts() {
        return List.copyOf(byProfile.values());
    }
}
