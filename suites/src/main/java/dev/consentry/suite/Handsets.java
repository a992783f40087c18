package dev.consentry.suite;

import dev.consentry.lab.LabParameters;
import org.testng.ITestContext;
import org.testng.annotations.DataProvider;

/** The handsets every flow runs on: the lab's profiles, one test invocation each, in parallel. */
public final class Handsets {
    public static final String NAME = "handsets";

    @DataProvider(name = NAME, parallel = true)
    public static Object[][] handsets(ITestContext context) {
        return LabParameters.from(context).profiles().stream().map(p -> new Object[]{p}).toArray(Object[][]::new);
    }
}
