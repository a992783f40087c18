package dev.consentry.lab;

import org.testng.ITestContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the lab is, as the suite XML's parameters say (the CLI adds them to the suite it runs). Typed here once so a
 * missing or malformed parameter fails with its name, not as a NullPointerException three calls deeper.
 *
 * @param gridUrl      the Grid every session goes through
 * @param profilesDir  device-profiles/
 * @param profiles     the profile names to run on, in order
 * @param confDir      mitmproxy's confdir holding the lab CA (shared by every capture)
 * @param sink         where captures send upstream traffic in sink mode; empty: to the real destination
 * @param proxyHost    the address the handset reaches this machine's mitmdumps on
 * @param workDir      per-run directory for capture logs and flows
 * @param idle         how long a handset idles after a flow while the capture keeps listening
 * @param policy       the consent policy file results are judged against
 */
public record LabParameters(URI gridUrl, Path profilesDir, List<String> profiles, Path confDir,
                            Optional<InetSocketAddress> sink, String proxyHost, Path workDir, Duration idle,
                            Path policy) {
    public static final String GRID_URL = "consentry.gridUrl";
    public static final String PROFILES_DIR = "consentry.profilesDir";
    public static final String PROFILES = "consentry.profiles";
    public static final String CONF_DIR = "consentry.confDir";
    public static final String SINK = "consentry.sink";
    public static final String PROXY_HOST = "consentry.proxyHost";
    public static final String WORK_DIR = "consentry.workDir";
    public static final String IDLE_SECONDS = "consentry.idleSeconds";
    /** A policy file; default: policies/default.yaml next to the profiles directory. */
    public static final String POLICY = "consentry.policy";

    /** Suite attribute under which `consentry run` hands the lab to the suite it runs. */
    public static final String ATTRIBUTE = LabParameters.class.getName();

    /**
     * The lab the CLI attached to the running suite, or else the suite XML's parameters (a suite started from an
     * IDE against a lab that is already up). The CLI does not use XML parameters: allure-testng would copy them into
     * every test's parameters, and the Grid's random port would then break the report's history between nights.
     */
    public static LabParameters from(ITestContext context) {
        Object attached = context.getSuite().getAttribute(ATTRIBUTE);
        if (attached instanceof LabParameters lab) {
            return lab;
        }
        return from(context.getCurrentXmlTest().getAllParameters());
    }

    public static LabParameters from(Map<String, String> p) {
        Path profilesDir = Path.of(required(p, PROFILES_DIR));
        return new LabParameters(
                URI.create(required(p, GRID_URL)),
                profilesDir,
                Arrays.stream(required(p, PROFILES).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                Path.of(required(p, CONF_DIR)),
                Optional.ofNullable(p.get(SINK)).filter(s -> !s.isBlank()).map(LabParameters::hostPort),
                p.getOrDefault(PROXY_HOST, "127.0.0.1"),
                Path.of(required(p, WORK_DIR)),
                Duration.ofSeconds(Long.parseLong(p.getOrDefault(IDLE_SECONDS, "5"))),
                Optional.ofNullable(p.get(POLICY)).filter(s -> !s.isBlank()).map(Path::of).orElse(
                        profilesDir.toAbsolutePath().getParent().resolve("policies/default.yaml")));
    }

    private static String required(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("suite parameter '" + name + "' is missing: run suites through "
                    + "`consentry run`, or set it in the suite XML");
        }
        return v;
    }

    private static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("suite parameter '" + SINK + "': expected host:port, got '" + s + "'");
        }
        return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
}
