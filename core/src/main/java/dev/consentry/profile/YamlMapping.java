package dev.consentry.profile;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One YAML mapping read against a fixed set of keys, recording problems with file, line, column and field path
 * instead of throwing, so that one pass reports everything wrong with a file. Readers return empty when a value is
 * missing or wrong; the caller builds nothing if any problem was recorded.
 */
final class YamlMapping {
    private final String file;
    private final List<Problem> problems;
    private final Node node;
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlMapping(String file, List<Problem> problems, Node node, String path) {
        this.file = file;
        this.problems = problems;
        this.node = node;
        this.path = path;
    }

    /** The mapping at {@code node}; a non-mapping is a problem and reads as an empty mapping. */
    static YamlMapping of(String file, List<Problem> problems, Node node, String path, Set<String> allowed) {
        YamlMapping m = new YamlMapping(file, problems, node, path);
        if (!(node instanceof MappingNode mapping)) {
            m.problem(node, path, "expected a mapping, got " + describe(node));
            return m;
        }
        for (NodeTuple t : mapping.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode k)) {
                m.problem(keyNode, path, "keys must be plain names, got " + describe(keyNode));
                continue;
            }
            String key = k.getValue();
            String keyPath = m.child(key);
            if (!allowed.contains(key)) {
                m.problem(keyNode, keyPath, "unknown field; allowed here: " + String.join(", ", allowed));
            } else if (m.entries.putIfAbsent(key, t) != null) {
                m.problem(keyNode, keyPath, "duplicate field");
            }
        }
        return m;
    }

    Optional<YamlMapping> mapping(String key, Set<String> allowed, boolean required) {
        return value(key, required).map(v -> of(file, problems, v, child(key), allowed));
    }

    Optional<String> string(String key, boolean required) {
        return value(key, required).flatMap(v -> {
            if (v instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
                return Optional.of(s.getValue());
            }
            problem(v, child(key), "expected a non-empty string, got " + describe(v));
            return Optional.empty();
        });
    }

    Optional<Integer> integer(String key, int min, int max) {
        return value(key, true).flatMap(v -> {
            if (v instanceof ScalarNode s && s.getValue().matches("\\d{1,9}")) {
                int i = Integer.parseInt(s.getValue());
                if (i >= min && i <= max) {
                    return Optional.of(i);
                }
            }
            problem(v, child(key), "expected an integer " + min + "-" + max + ", got " + describe(v));
            return Optional.empty();
        });
    }

    /** A string that must be one of {@code allowed} (as spelled there), mapped to its value. */
    <T> Optional<T> choice(String key, Map<String, T> allowed) {
        return string(key, true).flatMap(s -> {
            T t = allowed.get(s);
            if (t == null) {
                problem(node(key), child(key), "expected one of " + String.join(", ", allowed.keySet()) + ", got \""
                        + s + "\"");
            }
            return Optional.ofNullable(t);
        });
    }

    /** A string checked by {@code check}, which returns why the value is wrong, or null if it is right. */
    Optional<String> string(String key, Function<String, String> check) {
        return string(key, true).flatMap(s -> {
            String why = check.apply(s);
            if (why != null) {
                problem(node(key), child(key), why + ", got \"" + s + "\"");
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }

    private Optional<Node> value(String key, boolean required) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            if (required && node instanceof MappingNode) {
                problem(node, child(key), "required field missing");
            }
            return Optional.empty();
        }
        return Optional.of(t.getValueNode());
    }

    private Node node(String key) {
        return entries.get(key).getValueNode();
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void problem(Node at, String fieldPath, String message) {
        int line = at.getStartMark().getLine() + 1;
        int column = at.getStartMark().getColumn() + 1;
        problems.add(new Problem(line, column, file + ":" + line + ":" + column + ": "
                + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + message));
    }

    /** A problem and where it is, so a file's problems can be reported top to bottom. */
    record Problem(int line, int column, String text) {
        static final java.util.Comparator<Problem> IN_FILE_ORDER =
                java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);
    }

    static String describe(Node n) {
        if (n instanceof ScalarNode s) {
            return s.getTag().equals(Tag.NULL) ? "nothing" : "\"" + s.getValue() + "\"";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        return n instanceof MappingNode ? "a mapping" : "a " + n.getNodeId();
    }
}
