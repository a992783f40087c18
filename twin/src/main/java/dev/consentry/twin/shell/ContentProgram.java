package dev.consentry.twin.shell;

import dev.consentry.twin.device.ContactsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Android's {@code content} tool against the contacts provider (the only provider prep writes). */
final class ContentProgram implements Program {
    private static final String AUTHORITY = "content://com.android.contacts/";
    private static final Pattern CONDITION = Pattern.compile("\\s*(\\w+)\\s*=\\s*(?:'([^']*)'|\"([^\"]*)\"|(\\S+?))\\s*");

    private final ContactsProvider contacts;

    ContentProgram(ContactsProvider contacts) {
        this.contacts = contacts;
    }

    /** A malformed invocation; the message is what the tool prints. */
    private static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    @Override
    public String run(List<String> args) {
        if (args.isEmpty()) {
            return usage();
        }
        try {
            Map<String, List<String>> opts = options(args.subList(1, args.size()));
            String table = table(one(opts, "--uri").orElseThrow(() -> new Usage("[ERROR] Content provider URI not specified")));
            Predicate<Map<String, String>> where = where(one(opts, "--where").orElse(null));
            return switch (args.get(0)) {
                case "insert" -> {
                    contacts.insert(table, binds(opts.getOrDefault("--bind", List.of())));
                    yield "";
                }
                case "query" -> query(table, where, one(opts, "--projection").orElse(null));
                case "delete" -> {
                    contacts.delete(table, where);
                    yield "";
                }
                default -> usage();
            };
        } catch (Usage e) {
            return e.getMessage() + "\n";
        }
    }

    private String query(String table, Predicate<Map<String, String>> where, String projection) {
        List<Map<String, String>> rows = contacts.query(table, where);
        if (rows.isEmpty()) {
            return "No result found.\n";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            List<String> cols = projection == null ? new ArrayList<>(row.keySet()) : List.of(projection.split(":"));
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                String v = row.get(c);
                cells.add(c + "=" + (v == null ? "NULL" : v));
            }
            out.append("Row: ").append(i).append(' ').append(String.join(", ", cells)).append('\n');
        }
        return out.toString();
    }

    private String table(String uri) throws Usage {
        String t = uri.startsWith(AUTHORITY) ? uri.substring(AUTHORITY.length()) : "";
        if (!contacts.hasTable(t)) {
            throw new Usage("Error while accessing provider:" + authority(uri)
                    + "\njava.lang.IllegalArgumentException: Unknown URL " + uri);
        }
        return t;
    }

    private static String authority(String uri) {
        String s = uri.replaceFirst("^content://", "");
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }

    private static Map<String, String> binds(List<String> binds) throws Usage {
        Map<String, String> values = new LinkedHashMap<>();
        for (String b : binds) {
            String[] p = b.split(":", 3);
            if (p.length < 3 || !List.of("s", "i", "l", "f", "d", "b").contains(p[1])) {
                throw new Usage("Error: Invalid binding value type: " + b);
            }
            if (!p[1].equals("s")) {
                try {
                    Double.parseDouble(p[1].equals("b") ? "0" : p[2]);
                } catch (NumberFormatException e) {
                    throw new Usage("Error: Invalid binding value: " + b);
                }
            }
            values.put(p[0], p[2]);
        }
        return values;
    }

    /** Only "col=value [AND col=value...]": all that prep and restore need. */
    private static Predicate<Map<String, String>> where(String clause) throws Usage {
        if (clause == null || clause.isBlank()) {
            return row -> true;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String part : clause.split("(?i)\\s+and\\s+")) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new Usage("Error while accessing provider:com.android.contacts\n"
                        + "android.database.sqlite.SQLiteException: unsupported where clause: " + clause);
            }
            String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            wanted.put(m.group(1).toLowerCase(Locale.ROOT), v);
        }
        return row -> wanted.entrySet().stream().allMatch(w -> w.getValue().equals(row.get(w.getKey())));
    }

    private static Map<String, List<String>> options(List<String> args) throws Usage {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String o = args.get(i);
            if (!o.startsWith("--") || i + 1 >= args.size()) {
                throw new Usage("Error: Unsupported argument: " + o);
            }
            out.computeIfAbsent(o, k -> new ArrayList<>()).add(args.get(++i));
        }
        return out;
    }

    private static java.util.Optional<String> one(Map<String, List<String>> opts, String name) {
        List<String> v = opts.get(name);
        return v == null || v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v.get(v.size() - 1));
    }

    private static String usage() {
        return "usage: adb shell content [subcommand] [options]\n\n"
                + "usage: adb shell content insert --uri <URI> --bind <BINDING> [--bind <BINDING>...]\n"
                + "usage: adb shell content delete --uri <URI> [--where <WHERE>]\n"
                + "usage: adb shell content query --uri <URI> [--projection <PROJECTION>] [--where <WHERE>]\n";
    }
}
