package dev.consentry.twin.ui;

import dev.consentry.twin.firmware.ControlSpec;
import dev.consentry.twin.firmware.ControlSpec.ControlType;
import dev.consentry.twin.firmware.HomeSpec;
import dev.consentry.twin.firmware.ScreenSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lays screens out as a MIUI V5 phone would: title at the top, explanation, checkboxes, buttons along the bottom.
 * Coordinates matter because clients read bounds and rect, and the screenshot is drawn from the same tree.
 */
final class ScreenLayout {
    private static final int MARGIN = 48;
    private static final int STATUS_BAR = 50;

    private ScreenLayout() {
    }

    static UiNode wizardScreen(String pkg, ScreenSpec screen, Map<String, Boolean> checked, int w, int h) {
        String k = screen.id() + "/";
        List<UiNode> content = new ArrayList<>();
        content.add(text(k + "title", pkg, screen.title(), pkg + ":id/title",
                new Bounds(MARGIN, STATUS_BAR + 60, w - MARGIN, STATUS_BAR + 200)));
        if (!screen.text().isEmpty()) {
            content.add(text(k + "description", pkg, screen.text(), pkg + ":id/description",
                    new Bounds(MARGIN, STATUS_BAR + 220, w - MARGIN, STATUS_BAR + 360)));
        }
        int y = STATUS_BAR + 400;
        List<ControlSpec> buttons = new ArrayList<>();
        for (ControlSpec c : screen.controls()) {
            if (c.type() == ControlType.CHECKBOX) {
                content.add(new UiNode(k + c.id(), "android.widget.CheckBox", pkg, c.text(), pkg + ":id/" + c.id(), "",
                        true, checked.getOrDefault(c.id(), c.checked()), true, true,
                        new Bounds(MARGIN, y, w - MARGIN, y + 110), List.of()));
                y += 130;
            } else {
                buttons.add(c);
            }
        }
        int bw = (w - 2 * MARGIN - (buttons.size() - 1) * 24) / Math.max(1, buttons.size());
        for (int i = 0; i < buttons.size(); i++) {
            ControlSpec b = buttons.get(i);
            int x = MARGIN + i * (bw + 24);
            content.add(new UiNode(k + b.id(), "android.widget.Button", pkg, b.text(), pkg + ":id/" + b.id(), "",
                    false, false, true, true, new Bounds(x, h - 180, x + bw, h - 76), List.of()));
        }
        UiNode layout = container(k + "content", "android.widget.LinearLayout", pkg, pkg + ":id/content",
                new Bounds(0, STATUS_BAR, w, h), content);
        return container(k + "root", "android.widget.FrameLayout", pkg, "", new Bounds(0, 0, w, h), List.of(layout));
    }

    static UiNode home(HomeSpec home, int w, int h) {
        String pkg = home.packageName();
        List<UiNode> icons = new ArrayList<>();
        int cols = 4;
        int cell = w / cols;
        for (int i = 0; i < home.apps().size(); i++) {
            int x = (i % cols) * cell;
            int y = STATUS_BAR + 120 + (i / cols) * 220;
            String app = home.apps().get(i);
            icons.add(new UiNode("home/app/" + app, "android.widget.TextView", pkg, app, "", app, false, false, true,
                    true, new Bounds(x, y, x + cell, y + 200), List.of()));
        }
        UiNode workspace = container("home/workspace", "android.view.View", pkg, pkg + ":id/workspace",
                new Bounds(0, STATUS_BAR, w, h), icons);
        return container("home/root", "android.widget.FrameLayout", pkg, "", new Bounds(0, 0, w, h),
                List.of(workspace));
    }

    private static UiNode text(String key, String pkg, String text, String id, Bounds b) {
        return new UiNode(key, "android.widget.TextView", pkg, text, id, "", false, false, false, false, b, List.of());
    }

    private static UiNode container(String key, String cls, String pkg, String id, Bounds b, List<UiNode> children) {
        return new UiNode(key, cls, pkg, "", id, "", false, false, false, false, b, children);
    }
}
