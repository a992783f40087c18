package dev.consentry.cli;

import dev.consentry.diff.DiffInput;
import dev.consentry.diff.FirmwareDiff;
import dev.consentry.summary.SummaryException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * `consentry diff OLD NEW`: what a new firmware release of a model does with personal data that the old one did not.
 * OLD and NEW are summary.json files or report directories holding one. Exit 0 without regression, 1 with, 2 when
 * the input cannot be used.
 */
final class DiffCommand implements Callable<Integer> {
    private final Path home;
    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;

    DiffCommand(Path home, List<String> args, PrintStream out, PrintStream err) {
        this.home = home;
        this.args = List.copyOf(args);
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        List<String> paths = new ArrayList<>();
        Optional<String> oldDevice = Optional.empty();
        Optional<String> newDevice = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--old-device" -> oldDevice = Optional.of(value(a, i++));
                case "--new-device" -> newDevice = Optional.of(value(a, i++));
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("diff: unknown option " + a);
                    }
                    paths.add(a);
                }
            }
        }
        if (paths.size() != 2) {
            throw new UsageException("diff: expected OLD and NEW (summary.json files or report directories), got "
                    + paths.size() + " path" + (paths.size() == 1 ? "" : "s"));
        }
        DiffInput old;
        DiffInput neu;
        try {
            old = DiffInput.load(resolve(paths.get(0)), oldDevice);
            neu = DiffInput.load(resolve(paths.get(1)), newDevice);
        } catch (IllegalArgumentException | SummaryException e) {
            err.println("consentry: diff: " + e.getMessage());
            return 2;
        }
        FirmwareDiff diff = FirmwareDiff.between(old.label(), old.results(), neu.label(), neu.results());
        out.print(diff.text());
        return diff.regressed() ? 1 : 0;
    }

    private String value(String option, int i) {
        if (i + 1 >= args.size()) {
            throw new UsageException("diff: " + option + " needs a device profile name");
        }
        return args.get(i + 1);
    }

    private Path resolve(String p) {
        Path path = Path.of(p);
        return path.isAbsolute() ? path : home.resolve(path);
    }
}
