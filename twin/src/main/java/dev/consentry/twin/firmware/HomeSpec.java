package dev.consentry.twin.firmware;

import java.util.List;

/** The launcher shown once the wizard is done. */
public record HomeSpec(String packageName, List<String> apps) {
    public HomeSpec {
        apps = List.copyOf(apps);
    }
}
