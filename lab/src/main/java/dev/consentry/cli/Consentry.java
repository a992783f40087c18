package dev.consentry.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The `consentry` command line. The launcher script passes --home (the project directory) first. */
public final class Consentry {
    static final String USAGE = """
            usage: consentry <command> [options]
              run        run the nightly suite and write reports/latest/ (index.html, summary.json)
                --grid URL          use this Selenium Grid (a device farm) instead of the embedded lab
                --profiles a,b      only these device profiles (default: every profile the lab offers)
                --idle SECONDS      how long handsets idle after each flow with the capture on (default 5)
                --proxy-host HOST   address handsets reach this machine on (default 127.0.0.1)
                --no-sink           let captured traffic go to its real destination (farm with internet only)
                --reports DIR       where reports go (default <home>/reports)
                --policy NAME|FILE  the consent policy: policies/NAME.yaml or a .yaml file (default: default)
              diff OLD NEW   what a new firmware sends that the old one did not: new hosts, new data categories,
                             data moved from after consent to before it (OLD, NEW: summary.json or report dirs)
                --old-device NAME, --new-device NAME   which handset, when a run holds several
                             exit 0 no regression, 1 regressed, 2 unusable input
              analyze --canaries FILE CAPTURE... [--json OUT]
                         every place a canary left in recorded traffic (HAR 1.2 or mitmproxy flow files), with its
                         location and transform chain; a table on stdout, OUT gets JSON
                --max-body-mb N     scan at most this much of one request body (default 64)
                --threads N         scanner threads (default: one per processor; 1 scans on the reading thread);
                                    the output is the same whatever N
                         exit 0 nothing found, 1 findings or input that could not be scanned, 2 usage
              grid up    write hub and relay-node TOML from the profiles (one relay per Appium server) and start a
                         local Grid for a farm (`consentry grid up --help`)
              ap-rules   the sysctl/iptables lines (to run as root on the lab's access point) that redirect the
                         handsets of profiles with capture: { mode: access-point } to their transparent mitmdumps
                --uplink IFACE      also masquerade what is forwarded out of IFACE  --profiles a,b  only these
              bench      the leak engine's speed on a generated capture: MB/s for a raw read, the engine, analyze end
                         to end, a naive baseline and mitmdump's ~b filter, and a PASS/NOT MET line per goal
                --size-mb N (default 1024)  --canaries N (default 1000)  --naive-mb N (default 4)  --dir DIR (keep it)
              help       this text
            exit status: 0 all PASS, 1 any FAIL or INCONCLUSIVE, 2 usage or setup error
            """;

    private Consentry() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static int gridUp(Path home, List<String> rest, PrintStream out, PrintStream err) {
        try {
            return dev.consentry.grid.GridUp.run(home, rest, out, err);
        } catch (IllegalArgumentException e) {
            err.println("consentry: " + e.getMessage());
            return 2;
        }
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        Path home = Path.of(".").toAbsolutePath().normalize();
        if (args.size() >= 2 && args.get(0).equals("--home")) {
            home = Path.of(args.get(1)).toAbsolutePath().normalize();
            args = args.subList(2, args.size());
        }
        String command = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        try {
            return switch (command) {
                case "run" -> new RunCommand(RunOptions.parse(home, rest), out, err).call();
                case "analyze" -> new AnalyzeCommand(rest, out, err).call();
                case "bench" -> new BenchCommand(rest, out).call();
                case "diff" -> new DiffCommand(home, rest, out, err).call();
                case "grid" -> gridUp(home, rest, out, err);
                case "ap-rules" -> new ApRulesCommand(home, rest, out, err).call();
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("consentry: unknown command '" + command + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("consentry: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }
}
