package dev.consentry.grid;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link GridConfig#writeAll} wrote: the hub's file, and each node's file by profile name. */
public record GridConfigFiles(Path hub, Map<String, Path> nodes) {
    public GridConfigFiles {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }
}
