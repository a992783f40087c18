package dev.consentry.twin.shell;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code getprop [KEY]}: an unknown key prints an empty line, no key prints every property. Reads the handset's live
 * properties (the SIM state changes while it runs).
 */
final class GetpropProgram implements Program {
    private final Map<String, String> props;

    GetpropProgram(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public String run(List<String> args) {
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder();
            new TreeMap<>(props).forEach((k, v) -> out.append('[').append(k).append("]: [").append(v).append("]\n"));
            return out.toString();
        }
        return props.getOrDefault(args.get(0), args.size() > 1 ? args.get(1) : "") + "\n";
    }
}
