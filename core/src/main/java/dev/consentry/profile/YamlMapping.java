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
 * missing or wrong; the caller builds nothing if any problem was recorded. Public because every YAML file the project
 * reads (device profiles, policies) reports its mistakes the same way.
 */
public final class YamlMapping {
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
    public static YamlMapping of(String file, List<Problem> problems, Node node, String path, Set<String> allowed) {
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
            if (allowed != null && !allowed.contains(key)) {
                m.problem(keyNode, keyPath, "unknown field; allowed here: " + String.join(", ", allowed));
            } else if (m.entries.putIfAbsent(key, t) != null) {
                m.problem(keyNode, keyPath, "duplicate field");
            }
        }
        return m;
    }

    public Optional<YamlMapping> mapping(String key, Set<String> allowed, boolean required) {
        return value(key, required).map(v -> of(file, problems, v, child(key), allowed));
    }

    public Optional<String> string(String key, boolean required) {
        return value(key, required).flatMap(v -> {
            if (v instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
                return Optional.of(s.getValue());
            }
            problem(v, child(key), "expected a non-empty string, got " + describe(v));
            return Optional.empty();
        });
    }

    public Optional<Integer> integer(String key, int min, int max) {
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
    public <T> Optional<T> choice(String key, Map<String, T> allowed) {
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
    public Optional<String> string(String key, Function<String, String> check) {
        return string(key, true).flatMap(s -> {
            String why = check.apply(s);
            if (why != null) {
                problem(node(key), child(key), why + ", got \"" + s + "\"");
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }


    /**
     * The root node of a YAML file, kept with positions. Invalid YAML, an empty file or an unreadable one is reported
     * as "file:line:column: not valid YAML: ..." through {@code error}, so each loader throws its own exception.
     *
     * @param expected what the file should hold, for the empty-file message ("a policy mapping")
     */
    public static Node compose(java.nio.file.Path file, String expected,
                               java.util.function.BiFunction<String, Throwable, RuntimeException> error) {
        String where = file.toString();
        try {
            Node root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                    new org.yaml.snakeyaml.LoaderOptions())).compose(new java.io.StringReader(Utf8File.read(file)));
            if (root == null) {
                throw error.apply(where + ": empty file, expected " + expected, null);
            }
            return root;
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            org.yaml.snakeyaml.error.Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String at = m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw error.apply(where + at + ": not valid YAML: " + e.getProblem(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw error.apply(where + ": not valid YAML: " + e.getMessage(), e);
        } catch (Utf8File.NotUtf8 e) {
            throw error.apply(where + ":" + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw error.apply(where + ": cannot read: " + e, e);
        }
    }

    /**
     * A mapping whose keys are names the file chooses (purposes, categories): every key is accepted, in file order.
     * A non-mapping is a problem and reads as an empty mapping.
     */
    public static YamlMapping open(String file, List<Problem> problems, Node node, String path) {
        return of(file, problems, node, path, null);
    }

    /** The keys present, in file order. */
    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(entries.keySet());
    }

    /** The value under {@code key} read as a mapping of its own, for nested open mappings. */
    public Optional<YamlMapping> open(String key, boolean required) {
        return value(key, required).map(v -> open(file, problems, v, child(key)));
    }

    /** A list of non-empty strings; a single string stands for a list of one, as people write it. */
    public Optional<List<String>> strings(String key, boolean required) {
        return value(key, required).flatMap(v -> {
            if (v instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
                return Optional.of(List.of(s.getValue()));
            }
            if (v instanceof SequenceNode seq) {
                List<String> out = new java.util.ArrayList<>();
                boolean ok = true;
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    if (item instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
                        out.add(s.getValue());
                    } else {
                        problem(item, child(key) + "[" + i + "]", "expected a non-empty string, got " + describe(item));
                        ok = false;
                    }
                }
                return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
            }
            problem(v, child(key), "expected a list of strings, got " + describe(v));
            return Optional.empty();
        });
    }

    public Optional<Boolean> bool(String key) {
        return value(key, false).flatMap(v -> {
            if (v instanceof ScalarNode s && (s.getValue().equals("true") || s.getValue().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s.getValue()));
            }
            problem(v, child(key), "expected true or false, got " + describe(v));
            return Optional.empty();
        });
    }

    /** The line (1-based) of {@code key}'s value, or of this mapping when the key is absent. */
    public int line(String key) {
        NodeTuple t = entries.get(key);
        return (t == null ? node : t.getKeyNode()).getStartMark().getLine() + 1;
    }

    /** The field path of {@code key}, for messages that cite it. */
    public String path(String key) {
        return child(key);
    }

    /** Records a problem found by the caller (a reference to something undefined, say) at {@code key}'s value. */
    public void problemAt(String key, String message) {
        NodeTuple t = entries.get(key);
        problem(t == null ? node : t.getValueNode(), child(key), message);
    }

    /** Records a problem at the {@code index}th item of the list under {@code key}. */
    public void problemAt(String key, int index, String message) {
        NodeTuple t = entries.get(key);
        Node at = t == null ? node : t.getValueNode();
        if (at instanceof SequenceNode seq && index < seq.getValue().size()) {
            problem(seq.getValue().get(index), child(key) + "[" + index + "]", message);
        } else {
            problem(at, child(key), message);
        }
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

    /** Whether the mapping holds {@code key}, for optional fields read with a check. */
    boolean has(String key) {
        return entries.containsKey(key);
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
    public record Problem(int line, int column, String text) {
        public static final java.util.Comparator<Problem> IN_FILE_ORDER =
                java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);
    }

    public static String describe(Node n) {
        if (n instanceof ScalarNode s) {
            return s.getTag().equals(Tag.NULL) ? "nothing" : "\"" + s.getValue() + "\"";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        return n instanceof MappingNode ? "a mapping" : "a " + n.getNodeId();
    }
}
