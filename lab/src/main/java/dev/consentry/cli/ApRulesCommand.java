package dev.consentry.cli;

import dev.consentry.netns.AccessPointRules;
import dev.consentry.profile.AccessPointCapture;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.profile.ProfileException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * `consentry ap-rules [--uplink IFACE] [--profiles a,b]`: the commands that turn the lab host into a capturing access
 * point for the profiles with {@code capture: { mode: access-point }}, to run as root on that host. Consentry prints
 * them rather than applying them: they change the host's own firewall, which is the lab administrator's to change.
 */
final class ApRulesCommand implements Callable<Integer> {
    private final Path home;
    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;

    ApRulesCommand(Path home, List<String> args, PrintStream out, PrintStream err) {
        this.home = home;
        this.args = List.copyOf(args);
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Optional<String> uplink = Optional.empty();
        Optional<List<String>> only = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size() || !(a.equals("--uplink") || a.equals("--profiles"))) {
                err.println("consentry ap-rules: " + (a.equals("--uplink") || a.equals("--profiles")
                        ? "missing value after " + a : "unknown option " + a)
                        + "\nusage: consentry ap-rules [--uplink IFACE] [--profiles a,b]");
                return 2;
            }
            String v = args.get(++i);
            if (a.equals("--uplink")) {
                uplink = Optional.of(v);
            } else {
                only = Optional.of(List.of(v.split(",")));
            }
        }
        List<DeviceProfile> profiles;
        try {
            profiles = DeviceProfileLoader.loadAll(home.resolve("device-profiles"));
        } catch (ProfileException e) {
            err.println("consentry ap-rules: " + e.getMessage());
            return 2;
        }
        Map<String, List<AccessPointRules.Redirect>> byInterface = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (DeviceProfile p : profiles) {
            if (only.isPresent() && !only.get().contains(p.name()) || p.accessPoint().isEmpty()) {
                continue;
            }
            AccessPointCapture ap = p.accessPoint().get();
            byInterface.computeIfAbsent(ap.wifiInterface(), k -> new ArrayList<>())
                    .add(new AccessPointRules.Redirect(Optional.of(ap.handsetAddress()), ap.port()));
            names.add(p.name() + " (" + ap.handsetAddress() + " -> :" + ap.port() + ")");
        }
        if (names.isEmpty()) {
            err.println("consentry ap-rules: no device profile" + only.map(o -> " among " + o).orElse("")
                    + " has capture: { mode: access-point, interface, address, port }");
            return 2;
        }
        try {
            out.println("# Consentry access-point capture for " + String.join(", ", names));
            out.println("# Run as root on the access point's host; the transparent mitmdumps listen there.");
            boolean first = true;
            for (Map.Entry<String, List<AccessPointRules.Redirect>> e : byInterface.entrySet()) {
                List<String> lines = new AccessPointRules(e.getKey(), first ? uplink : Optional.empty(),
                        e.getValue()).shellLines();
                (first ? lines : lines.subList(1, lines.size())).forEach(out::println);
                first = false;
            }
        } catch (IllegalArgumentException e) {
            err.println("consentry ap-rules: " + e.getMessage());
            return 2;
        }
        return 0;
    }
}
