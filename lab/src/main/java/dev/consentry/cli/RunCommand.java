package dev.consentry.cli;

import dev.consentry.allure.AllureReport;
import dev.consentry.allure.BaselineDiffs;
import dev.consentry.allure.Executor;
import dev.consentry.allure.HandsetFactsCollector;
import dev.consentry.allure.RunEnvironment;
import dev.consentry.lab.EmbeddedLab;
import dev.consentry.lab.ExistingGridLab;
import dev.consentry.lab.Lab;
import dev.consentry.lab.LabParameters;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyException;
import dev.consentry.profile.ProfileException;
import dev.consentry.summary.SkippedFlow;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import org.testng.ISuite;
import org.testng.ISuiteListener;
import org.testng.TestNG;
import org.testng.xml.SuiteXmlParser;
import org.testng.xml.XmlSuite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** `consentry run`: start (or join) a lab, run the nightly suite on it, write the reports, say how it went. */
final class RunCommand implements Callable<Integer> {
    private static final int CONSOLE_DETAIL = 200;
    private final RunOptions options;
    private final PrintStream out;
    private final PrintStream err;

    RunCommand(RunOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Path home = options.home();
        Policy policy;
        try {
            policy = PolicyLoader.load(home.resolve("policies"), options.policy());
        } catch (PolicyException e) {
            err.println("consentry: the consent policy cannot be used:\n" + e.getMessage());
            return 2;
        }
        List<DeviceProfile> allProfiles;
        try {
            allProfiles = DeviceProfileLoader.loadAll(home.resolve("device-profiles"));
        } catch (ProfileException e) {
            // Checked before any process starts: a broken profile must not leave a half-started lab behind.
            err.println("consentry: the device profiles cannot be used:\n" + e.getMessage());
            return 2;
        }
        List<DeviceProfile> profiles = select(allProfiles);
        Path runDir = options.reports().resolve("runs")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path results = runDir.resolve("allure-results");
        Path latest = options.reports().resolve("latest");
        List<FlowResult> flowResults;
        List<SkippedFlow> skipped;
        Map<String, String> environment = new LinkedHashMap<>();
        try {
            Files.createDirectories(results);
            try (Lab lab = openLab(profiles, runDir)) {
                environment.putAll(lab.environment());
                err.println("consentry: lab ready (" + lab.profiles().size() + " handsets, Grid " + lab.gridUrl()
                        + "); running suites/nightly.xml");
                HandsetFactsCollector handsets = new HandsetFactsCollector();
                ResultCollector collector = runSuite(lab, runDir, results, Path.of(policy.source()), handsets);
                flowResults = collector.results();
                skipped = collector.skipped();
                environment.putAll(RunEnvironment.of(Map.of())
                        .measure("mitmdump", lab.gridUrl(), home.resolve("appium"))
                        .handsets(handsets.facts()).entries());
            }
            // Kept with the run, so later runs find it as their baseline and `consentry diff` can read the run dir.
            SummaryJson.write(flowResults, skipped, runDir.resolve("summary.json"));
            Map<String, String> modelOf = new LinkedHashMap<>();
            // Every profile, not only this run's: the baseline may be an earlier run of another selection.
            allProfiles.forEach(p -> modelOf.put(p.name(), p.manufacturer() + " " + p.model()));
            BaselineDiffs.attach(results, runDir.getParent(), runDir, flowResults, modelOf);
            Files.createDirectories(latest);
            AllureReport allure = AllureReport.inTools(home.resolve(".consentry/tools"));
            allure.describe(results, environment,
                    Executor.forRun(runDir.getFileName().toString(), "Consentry nightly", System.getenv()));
            allure.generate(results, latest, runDir.resolve("allure-report"), options.reports().resolve("history"),
                    "Consentry nightly");
            // After generating: --clean empties the directory first.
            SummaryJson.write(flowResults, skipped, latest.resolve("summary.json"));
        } catch (IOException e) {
            err.println("consentry: could not write reports: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("consentry: interrupted");
            return 2;
        }
        flowResults.forEach(r -> out.println(line(r)));
        skipped.forEach(s -> out.println("SKIPPED       " + s.device() + " " + s.flow() + ": " + s.reason()));
        out.println("report: " + latest.resolve("index.html") + "   summary: " + latest.resolve("summary.json"));
        if (flowResults.isEmpty()) {
            err.println("consentry: no flow produced a verdict");
            return 1;
        }
        return flowResults.stream().allMatch(r -> r.verdict() == Verdict.PASS) ? 0 : 1;
    }

    private List<DeviceProfile> select(List<DeviceProfile> all) {
        if (options.profiles().isEmpty()) {
            return options.grid().isPresent() ? all
                    : embeddable(all.stream().filter(p -> p.virtualFirmware().isPresent()).toList());
        }
        List<DeviceProfile> chosen = new ArrayList<>();
        for (String name : options.profiles().get()) {
            chosen.add(all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                    new UsageException("run: --profiles names '" + name + "', which is not in device-profiles/ ("
                            + all.stream().map(DeviceProfile::name).collect(Collectors.joining(", ")) + ")")));
        }
        return options.grid().isPresent() ? chosen : embeddable(chosen);
    }

    /** Refused before any process starts: the embedded lab's twins run in-process, behind a proxy setting only. */
    private static List<DeviceProfile> embeddable(List<DeviceProfile> profiles) {
        profiles.stream().filter(p -> p.accessPoint().isPresent()).findFirst().ifPresent(p -> {
            throw new UsageException("run: " + p.source() + ": capture: access-point needs the lab's access point; "
                    + "the embedded lab runs virtual handsets behind a proxy setting only: run it with --grid URL "
                    + "(see `consentry ap-rules`)");
        });
        return profiles;
    }

    private Lab openLab(List<DeviceProfile> profiles, Path runDir) {
        if (options.grid().isPresent()) {
            return new ExistingGridLab(options.grid().get(), profiles, options.proxyHost(), options.sink(), runDir);
        }
        return EmbeddedLab.start(profiles, options.home(), runDir, options.sink());
    }

    private ResultCollector runSuite(Lab lab, Path runDir, Path results, Path policy,
                                     HandsetFactsCollector handsets) {
        // allure-testng reads its results directory once, when its lifecycle is first used: set it before TestNG.
        System.setProperty("allure.results.directory", results.toString());
        Path suiteFile = options.home().resolve("suites/nightly.xml");
        List<XmlSuite> suites;
        try (var in = Files.newInputStream(suiteFile)) {
            suites = new ArrayList<>(List.of(new SuiteXmlParser().parse(suiteFile.toString(), in, false)));
        } catch (IOException | org.testng.TestNGException e) {
            throw new UsageException("cannot read " + suiteFile + ": " + e.getMessage());
        }
        LabParameters parameters = new LabParameters(lab.gridUrl(), options.home().resolve("device-profiles"),
                lab.profiles(), options.home().resolve(".consentry/lab-ca"), lab.sink(), lab.proxyHost(),
                runDir.resolve("captures"), options.idle(), policy);

        ResultCollector collector = new ResultCollector();
        TestNG testng = new TestNG();
        testng.setXmlSuites(suites);
        testng.setOutputDirectory(runDir.resolve("testng").toString());
        testng.setUseDefaultListeners(false);
        testng.addListener(collector);
        testng.addListener(handsets);
        testng.addListener(new ISuiteListener() {
            @Override
            public void onStart(ISuite suite) {
                suite.setAttribute(LabParameters.ATTRIBUTE, parameters);
            }
        });
        testng.run();
        return collector;
    }

    static String line(FlowResult r) {
        List<JudgedFinding> violations = r.violations();
        String detail = violations.isEmpty() ? r.reason().orElse("no personal data left the handset")
                : violations.stream().flatMap(j -> j.leak().stream()).map(f -> f.canary().kind().id()).distinct()
                .collect(Collectors.joining(", "))
                + " -> " + violations.stream().map(j -> j.scheme() + "://" + j.host()).distinct()
                .collect(Collectors.joining(", "))
                + " (" + violations.stream().map(j -> j.verdict().id()).distinct().collect(Collectors.joining(", "))
                + ")";
        return String.format("%-13s %-28s %-15s %s", r.verdict(), r.device(), r.flow(), shortened(detail));
    }

    /** The console keeps one readable line per result; the whole reason is in summary.json and the report. */
    static String shortened(String detail) {
        if (detail.length() <= CONSOLE_DETAIL) {
            return detail;
        }
        int cut = detail.lastIndexOf(' ', CONSOLE_DETAIL);
        return detail.substring(0, cut > CONSOLE_DETAIL / 2 ? cut : CONSOLE_DETAIL) + " ... (full reason in summary.json)";
    }
}
