package dev.consentry.twin.firmware;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A composed YAML node that remembers its file and field path, so every type or value error reports
 * "file:line: field: problem". SnakeYAML's composed nodes keep marks; its constructed maps would not.
 */
final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;

    YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    FirmwareException error(String problem) {
        return new FirmwareException(file + ":" + (node.getStartMark().getLine() + 1) + ": "
                + (path.isEmpty() ? "(document)" : path) + ": " + problem);
    }

    String path() {
        return path;
    }

    Map<String, YamlNode> entries() {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(file, path, t.getKeyNode()).error("keys must be plain scalars");
            }
            String key = k.getValue();
            if (out.put(key, new YamlNode(file, child(key), t.getValueNode())) != null) {
                throw new YamlNode(file, child(key), k).error("duplicate key");
            }
        }
        return out;
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    List<YamlNode> items() {
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list");
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", s.getValue().get(i)));
        }
        return out;
    }

    String string() {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value");
        }
        return s.getValue();
    }

    int integer() {
        try {
            return Integer.parseInt(string().trim());
        } catch (NumberFormatException e) {
            throw error("expected a whole number, got '" + string() + "'");
        }
    }

    boolean bool() {
        String v = string().trim();
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw error("expected true or false, got '" + v + "'");
    }

    /** A mapping's field that must be there. */
    YamlNode required(Map<String, YamlNode> map, String key) {
        YamlNode n = map.get(key);
        if (n == null) {
            throw error("missing required field '" + key + "'");
        }
        return n;
    }

    static Optional<YamlNode> optional(Map<String, YamlNode> map, String key) {
        return Optional.ofNullable(map.get(key));
    }

    /** Unknown fields are errors: a misspelt "delya" silently ignored would change what a firmware sends. */
    void allowOnly(Map<String, YamlNode> map, String... keys) {
        List<String> allowed = List.of(keys);
        for (Map.Entry<String, YamlNode> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown field (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
