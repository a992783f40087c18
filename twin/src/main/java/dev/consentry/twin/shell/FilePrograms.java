package dev.consentry.twin.shell;

import dev.consentry.twin.device.VirtualFileSystem;

import java.util.ArrayList;
import java.util.List;

/** {@code ls}, {@code cat} and {@code rm} with Android 4.4 toolbox wording. */
final class FilePrograms {
    private final VirtualFileSystem files;

    FilePrograms(VirtualFileSystem files) {
        this.files = files;
    }

    String ls(List<String> args) {
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (paths.isEmpty()) {
            paths = List.of("/");
        }
        StringBuilder out = new StringBuilder();
        for (String p : paths) {
            if (!p.startsWith("/")) {
                out.append(p).append(": No such file or directory\n");
            } else if (files.isDirectory(p)) {
                files.list(p).forEach(n -> out.append(n).append('\n'));
            } else if (files.isFile(p)) {
                out.append(p).append('\n');
            } else {
                out.append(p).append(": No such file or directory\n");
            }
        }
        return out.toString();
    }

    String cat(List<String> args) {
        StringBuilder out = new StringBuilder();
        for (String p : args) {
            if (p.startsWith("/") && files.isDirectory(p)) {
                out.append(p).append(": Is a directory\n");
            } else {
                out.append(files.read(p).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                        .orElse(p + ": No such file or directory\n"));
            }
        }
        return out.toString();
    }

    String rm(List<String> args) {
        boolean force = false;
        List<String> paths = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1) {
                force |= a.contains("f");
            } else {
                paths.add(a);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String p : paths) {
            if (p.startsWith("/") && files.isDirectory(p)) {
                out.append("rm failed for ").append(p).append(", Is a directory\n");
            } else if (!(p.startsWith("/") && files.delete(p)) && !force) {
                out.append("rm failed for ").append(p).append(", No such file or directory\n");
            }
        }
        return out.toString();
    }
}
