package dev.consentry.twin.device;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The handset's files, only as far as prep touches them (pushed CA certificates, pushed test files). Directories are
 * explicit so {@code ls} of an existing empty directory differs from {@code ls} of a missing one, as on a handset.
 */
public final class VirtualFileSystem {
    private final Map<String, byte[]> files = new ConcurrentSkipListMap<>();
    private final Set<String> dirs = new ConcurrentSkipListSet<>();

    public VirtualFileSystem(Set<String> initialDirectories) {
        dirs.add("/");
        initialDirectories.forEach(this::mkdirs);
    }

    /** Like adb push: parent directories appear as needed. */
    public void write(String path, byte[] content) {
        String p = normalise(path);
        if (dirs.contains(p)) {
            throw new IllegalArgumentException("'" + p + "' is a directory");
        }
        mkdirs(parent(p));
        files.put(p, content.clone());
    }

    public Optional<byte[]> read(String path) {
        return Optional.ofNullable(files.get(normalise(path))).map(byte[]::clone);
    }

    public boolean isDirectory(String path) {
        return dirs.contains(normalise(path));
    }

    public boolean isFile(String path) {
        return files.containsKey(normalise(path));
    }

    public boolean delete(String path) {
        return files.remove(normalise(path)) != null;
    }

    /** Names directly inside a directory, sorted. */
    public Set<String> list(String directory) {
        String d = normalise(directory);
        String prefix = d.equals("/") ? "/" : d + "/";
        Set<String> names = new TreeSet<>();
        for (String p : files.keySet()) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        for (String p : dirs) {
            if (!p.equals(d) && p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        return names;
    }

    /** Files (not directories) directly inside a directory, with their content. */
    public Map<String, byte[]> filesIn(String directory) {
        Map<String, byte[]> out = new ConcurrentSkipListMap<>();
        String prefix = normalise(directory) + "/";
        files.forEach((p, c) -> {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                out.put(p.substring(prefix.length()), c.clone());
            }
        });
        return out;
    }

    private void mkdirs(String dir) {
        String d = normalise(dir);
        while (!d.equals("/")) {
            dirs.add(d);
            d = parent(d);
        }
    }

    static String normalise(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }
}
