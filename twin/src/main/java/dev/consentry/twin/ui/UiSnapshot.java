package dev.consentry.twin.ui;

import java.util.Optional;

/**
 * The screen at one moment. {@code generation} changes whenever the screen is replaced, which is how element
 * references found on an earlier screen become stale.
 */
public record UiSnapshot(long generation, String screenId, String title, int width, int height, UiNode root) {
    public Optional<UiNode> node(String key) {
        return root.flatten().stream().filter(n -> n.key().equals(key)).findFirst();
    }

    public String packageName() {
        return root.packageName();
    }
}
