package dev.consentry.canary;

import dev.consentry.profile.Utf8File;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A canary file for offline analysis:
 * <pre>
 * canaries:
 *   - kind: imei
 *     value: "865123045678901"
 *     origin: "read: dumpsys iphonesubinfo"   # optional
 * </pre>
 * Every problem is reported at once, each as "file:line:column: canaries[i].field: what is wrong"; a value the
 * leak engine would refuse (too short, shared, sequential) is a problem of the file, not a crash later.
 */
public final class CanaryFile {
    private static final Set<String> ENTRY_KEYS = Set.of("kind", "value", "origin");

    private CanaryFile() {
    }

    /** @throws CanaryFileException listing every problem, each with file, line and field */
    public static List<Canary> load(Path file) {
        String text;
        try {
            text = Utf8File.read(file);
        } catch (Utf8File.NotUtf8 e) {
            throw new CanaryFileException(file + ":" + e.getMessage(), List.of());
        } catch (IOException e) {
            throw new CanaryFileException(file + ": cannot read: " + e.getMessage(), List.of());
        }
        return parse(new StringReader(text), file.toString());
    }

    public static List<Canary> parse(Reader yaml, String source) {
        List<String> problems = new ArrayList<>();
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(yaml);
        } catch (MarkedYAMLException e) {
            var m = e.getProblemMark();
            throw new CanaryFileException(source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)
                    + ": not valid YAML: " + e.getProblem(), List.of());
        } catch (RuntimeException e) {
            throw new CanaryFileException(source + ": not valid YAML: " + e.getMessage(), List.of());
        }
        if (root == null) {
            throw new CanaryFileException(source + ": empty file; expected a 'canaries:' list", List.of());
        }
        Map<String, NodeTuple> top = mapping(root, source, "", Set.of("canaries"), problems);
        NodeTuple list = top.get("canaries");
        List<Canary> canaries = new ArrayList<>();
        if (list == null && problems.isEmpty()) {
            problems.add(at(source, root) + "canaries: missing; expected a list of {kind, value}");
        } else if (list != null && !(list.getValueNode() instanceof SequenceNode seq)) {
            problems.add(at(source, list.getValueNode()) + "canaries: expected a list of {kind, value}");
        } else if (list != null) {
            SequenceNode seq = (SequenceNode) list.getValueNode();
            if (seq.getValue().isEmpty()) {
                // An empty list would scan and report no finding: a pass that searched for nothing.
                problems.add(at(source, seq) + "canaries: the list is empty; nothing would be searched for");
            }
            Map<List<String>, String> seen = new LinkedHashMap<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String path = "canaries[" + i + "]";
                Map<String, NodeTuple> e = mapping(item, source, path, ENTRY_KEYS, problems);
                if (e.isEmpty() && !(item instanceof MappingNode)) {
                    continue;
                }
                String kindId = scalar(e.get("kind"), item, source, path + ".kind", true, problems);
                String value = scalar(e.get("value"), item, source, path + ".value", true, problems);
                String origin = scalar(e.get("origin"), item, source, path + ".origin", false, problems);
                if (kindId == null || value == null) {
                    continue;
                }
                var kind = CanaryKind.fromId(kindId);
                if (kind.isEmpty()) {
                    problems.add(at(source, e.get("kind").getValueNode()) + path + ".kind: unknown kind '" + kindId
                            + "'; known: " + Arrays.stream(CanaryKind.values()).map(CanaryKind::id)
                            .collect(Collectors.joining(", ")));
                    continue;
                }
                Canary c = new Canary(kind.get(), value, origin);
                Node valueNode = e.get("value").getValueNode();
                try {
                    CanaryForms.of(c);
                    // The same value twice (as typed, or spelled otherwise: "86-512304-567890-1") reports every
                    // finding twice; said, so that the file gets fixed rather than the counts doubted.
                    String first = seen.putIfAbsent(List.of(kind.get().id(), CanaryForms.sameValue(c)),
                            path + " (line " + (valueNode.getStartMark().getLine() + 1) + ")");
                    if (first != null) {
                        problems.add(at(source, valueNode) + path + ".value: the same " + kind.get().id() + " as "
                                + first);
                    } else {
                        canaries.add(c);
                    }
                } catch (IllegalArgumentException ex) {
                    problems.add(at(source, valueNode) + path + ".value: " + ex.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CanaryFileException(String.join("\n", problems), problems);
        }
        return List.copyOf(canaries);
    }

    private static Map<String, NodeTuple> mapping(Node node, String source, String path, Set<String> allowed,
                                                  List<String> problems) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            problems.add(at(source, node) + (path.isEmpty() ? "" : path + ": ") + "expected a mapping");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (!allowed.contains(key)) {
                problems.add(at(source, t.getKeyNode()) + keyPath + ": unknown field; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            } else if (out.putIfAbsent(key, t) != null) {
                problems.add(at(source, t.getKeyNode()) + keyPath + ": duplicate field");
            }
        }
        return out;
    }

    private static String scalar(NodeTuple t, Node owner, String source, String path, boolean required,
                                 List<String> problems) {
        if (t == null) {
            if (required) {
                problems.add(at(source, owner) + path + ": missing");
            }
            return null;
        }
        if (!(t.getValueNode() instanceof ScalarNode s) || s.getValue().isBlank()) {
            problems.add(at(source, t.getValueNode()) + path + ": expected a non-empty text");
            return null;
        }
        return s.getValue();
    }

    private static String at(String source, Node node) {
        var m = node.getStartMark();
        return source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }
}
