package dev.consentry.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Options of `consentry run`, parsed once into types. */
record RunOptions(Path home, Path reports, Optional<URI> grid, Optional<List<String>> profiles, Duration idle,
                  String proxyHost, boolean sink, String policy) {

    static RunOptions parse(Path home, List<String> args) {
        Path reports = home.resolve("reports");
        Optional<URI> grid = Optional.empty();
        Optional<List<String>> profiles = Optional.empty();
        Duration idle = Duration.ofSeconds(5);
        String proxyHost = "127.0.0.1";
        boolean sink = true;
        String policy = "default";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--grid" -> grid = Optional.of(uri(value(args, i++, a)));
                case "--profiles" -> profiles = Optional.of(Arrays.stream(value(args, i++, a).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList());
                case "--idle" -> idle = Duration.ofSeconds(seconds(value(args, i++, a)));
                case "--proxy-host" -> proxyHost = value(args, i++, a);
                case "--reports" -> reports = home.resolve(value(args, i++, a));
                case "--no-sink" -> sink = false;
                case "--policy" -> policy = value(args, i++, a);
                default -> throw new UsageException("run: unknown option '" + a + "'");
            }
        }
        return new RunOptions(home, reports, grid, profiles, idle, proxyHost, sink, policy);
    }

    private static String value(List<String> args, int i, String option) {
        if (i + 1 >= args.size()) {
            throw new UsageException("run: " + option + " needs a value");
        }
        return args.get(i + 1);
    }

    private static URI uri(String s) {
        try {
            URI u = URI.create(s);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: --grid expects a URL like http://grid.lab:4444, got '" + s + "'");
        }
    }

    private static long seconds(String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > 3600) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("run: --idle expects whole seconds 0-3600, got '" + s + "'");
        }
    }
}
