package dev.consentry.twin.shell;

import java.util.List;

/** One command-line tool on the handset; gets its arguments without the program name and returns what it prints. */
@FunctionalInterface
interface Program {
    String run(List<String> args);
}
