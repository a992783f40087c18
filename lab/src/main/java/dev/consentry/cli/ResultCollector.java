package dev.consentry.cli;

import dev.consentry.summary.SkippedFlow;
import dev.consentry.verdict.FlowResult;
import org.testng.ITestListener;
import org.testng.ITestResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects the typed result each flow test leaves on its TestNG result. A test that died before it could judge
 * (session refused, prep failed) still yields a result: INCONCLUSIVE with the error, never silence.
 */
public final class ResultCollector implements ITestListener {
    /** Must match FlowHarness.RESULT_ATTRIBUTE in the suites module. */
    static final String RESULT_ATTRIBUTE = FlowResult.class.getName();

    private final List<FlowResult> results = Collections.synchronizedList(new ArrayList<>());
    private final List<SkippedFlow> skipped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTestSuccess(ITestResult r) {
        collect(r);
    }

    @Override
    public void onTestFailure(ITestResult r) {
        collect(r);
    }

    @Override
    public void onTestSkipped(ITestResult r) {
        String why = r.getThrowable() == null ? "skipped" : r.getThrowable().getMessage();
        skipped.add(new SkippedFlow(device(r), flow(r), why == null ? "skipped" : why));
    }

    private void collect(ITestResult r) {
        Object attr = r.getAttribute(RESULT_ATTRIBUTE);
        if (attr instanceof FlowResult fr) {
            results.add(fr);
            return;
        }
        Throwable t = r.getThrowable();
        String why = t == null ? "the test ended without a verdict"
                : "test defect: " + t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
        results.add(FlowResult.inconclusive(device(r), flow(r), List.of(), why));
    }

    private static String device(ITestResult r) {
        Object[] p = r.getParameters();
        return p.length > 0 && p[0] instanceof String s ? s : r.getTestClass().getRealClass().getSimpleName();
    }

    /** Flow tests name their flow as their first TestNG group, e.g. "first-boot". */
    private static String flow(ITestResult r) {
        String[] groups = r.getMethod().getGroups();
        return groups.length > 0 ? groups[0] : r.getMethod().getMethodName();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public List<FlowResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    public List<SkippedFlow> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }
}
