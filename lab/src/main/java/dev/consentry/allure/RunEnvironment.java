package dev.consentry.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The report's environment section, measured from the parts that ran rather than written down: mitmdump says its
 * version, the Grid hub its own, Appium's installed package its, each handset its build (see {@link HandsetFacts}).
 * A part that cannot be asked is reported as such ("unknown: ..."), never guessed.
 */
public final class RunEnvironment {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> entries = new LinkedHashMap<>();

    private RunEnvironment() {
    }

    public static RunEnvironment of(Map<String, String> lab) {
        RunEnvironment e = new RunEnvironment();
        e.entries.putAll(lab);
        return e;
    }

    /** mitmdump (from PATH), Grid (its GraphQL), Appium (the package in {@code appiumHome}), Java and OS. */
    public RunEnvironment measure(String mitmdump, URI gridUrl, Path appiumHome) {
        entries.put("mitmproxy", mitmproxyVersion(mitmdump));
        entries.put("selenium_grid", gridVersion(gridUrl));
        // Installed here: what AppiumServer starts; virtual handsets of the embedded lab speak WebDriver themselves.
        entries.put("appium_installed", appiumVersions(appiumHome));
        entries.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        entries.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return this;
    }

    /** One entry per handset and fact: handset.redmi-1s-miui5-2014, fingerprint.redmi-1s-miui5-2014, ... */
    public RunEnvironment handsets(Collection<HandsetFacts> handsets) {
        handsets.stream().sorted(java.util.Comparator.comparing(HandsetFacts::profile)).forEach(h -> {
            entries.put("handset." + h.profile(), h.describe());
            entries.put("firmware." + h.profile(), (h.skin() + " " + h.build()).strip());
            entries.put("fingerprint." + h.profile(), h.fingerprint());
        });
        return this;
    }

    public Map<String, String> entries() {
        return new LinkedHashMap<>(entries);
    }

    static String mitmproxyVersion(String mitmdump) {
        try {
            Process p = new ProcessBuilder(mitmdump, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown: " + mitmdump + " --version did not answer in 30 s";
            }
            // "Mitmproxy: 8.1.1\nPython: 3.11.2\nOpenSSL: ...\nPlatform: ..."
            return out.lines().filter(l -> l.startsWith("Mitmproxy:")).map(l -> l.substring(10).strip()).findFirst()
                    .map(v -> v + out.lines().filter(l -> l.startsWith("Python:")).findFirst()
                            .map(l -> " (Python " + l.substring(7).strip() + ")").orElse(""))
                    .orElse("unknown: " + mitmdump + " --version said " + out.strip());
        } catch (IOException e) {
            return "unknown: " + mitmdump + " did not start (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        }
    }

    /** The hub's own version and that of every node registered on it (a farm may mix them). */
    static String gridVersion(URI gridUrl) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(gridUrl.resolve("/status"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode nodes = JSON.readTree(res.body()).path("value").path("nodes");
            TreeSet<String> versions = new TreeSet<>();
            nodes.forEach(n -> versions.add(n.path("version").asText()));
            versions.remove("");
            return versions.isEmpty() ? "unknown: " + gridUrl + "/status lists no node version"
                    : String.join(", ", versions);
        } catch (IOException e) {
            return "unknown: " + gridUrl + "/status: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        }
    }

    /** "appium 3.8.0, appium-uiautomator2-driver 8.7.0, ..." as installed by npm in {@code appiumHome}. */
    static String appiumVersions(Path appiumHome) {
        Path modules = appiumHome.resolve("node_modules");
        StringBuilder s = new StringBuilder();
        for (String pkg : new String[]{"appium", "appium-uiautomator2-driver", "@appium/fake-driver"}) {
            Path manifest = modules.resolve(pkg).resolve("package.json");
            if (Files.isRegularFile(manifest)) {
                try {
                    String v = JSON.readTree(manifest.toFile()).path("version").asText();
                    s.append(s.length() == 0 ? "" : ", ").append(pkg).append(' ').append(v);
                } catch (IOException e) {
                    s.append(s.length() == 0 ? "" : ", ").append(pkg).append(" unreadable (").append(e.getMessage())
                            .append(')');
                }
            }
        }
        return s.length() == 0 ? "unknown: no Appium under " + modules + " (./consentry setup installs it)"
                : s.toString();
    }
}
