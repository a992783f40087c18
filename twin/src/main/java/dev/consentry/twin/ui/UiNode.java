package dev.consentry.twin.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * One view in the accessibility tree, with the attributes UiAutomator2 reports. {@code key} is the twin's own stable
 * name for the view on its screen; it never appears in page source.
 */
public record UiNode(String key, String className, String packageName, String text, String resourceId,
                     String contentDesc, boolean checkable, boolean checked, boolean clickable, boolean focusable,
                     Bounds bounds, List<UiNode> children) {
    public UiNode {
        children = List.copyOf(children);
    }

    /** This node and all below it, depth first (document order). */
    public List<UiNode> flatten() {
        List<UiNode> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(UiNode n, List<UiNode> out) {
        out.add(n);
        n.children().forEach(c -> collect(c, out));
    }
}
