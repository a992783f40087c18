package dev.consentry.twin.ui;

import dev.consentry.twin.firmware.AppScreenSpec;
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
            if (c.toggles()) {
                content.add(new UiNode(k + c.id(), widget(c), pkg, c.text(), pkg + ":id/" + c.id(), "",
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

    /**
     * An app screen. Dialogs use the framework's AlertDialog ids ({@code android:id/alertTitle}, {@code message},
     * {@code button1}...), as every vendor's contacts app shows them; other screens use the app's own ids.
     */
    static UiNode appScreen(AppScreenSpec app, Map<String, Boolean> checked, List<String> contacts, int w, int h) {
        String pkg = app.packageName();
        ScreenSpec screen = app.screen();
        String k = screen.id() + "/";
        String ids = app.dialog() ? "android" : pkg;
        List<UiNode> content = new ArrayList<>();
        int top = app.dialog() ? h / 3 : STATUS_BAR;
        content.add(text(k + "title", pkg, screen.title(), ids + (app.dialog() ? ":id/alertTitle" : ":id/title"),
                new Bounds(MARGIN, top + 20, w - MARGIN, top + 120)));
        int y = top + 140;
        if (!screen.text().isEmpty()) {
            content.add(text(k + "description", pkg, screen.text(), ids + (app.dialog() ? ":id/message"
                    : ":id/summary"), new Bounds(MARGIN, y, w - MARGIN, y + 120)));
            y += 140;
        }
        for (String name : contacts) {
            content.add(text(k + "contact/" + name, pkg, name, pkg + ":id/cliv_name_textview",
                    new Bounds(MARGIN, y, w - MARGIN, y + 90)));
            y += 100;
        }
        List<ControlSpec> buttons = new ArrayList<>();
        for (ControlSpec c : screen.controls()) {
            if (c.toggles()) {
                content.add(new UiNode(k + c.id(), widget(c), pkg, c.text(), ids + ":id/" + c.id(), "", true,
                        checked.getOrDefault(c.id(), c.checked()), true, true,
                        new Bounds(MARGIN, y, w - MARGIN, y + 110), List.of()));
                y += 130;
            } else {
                buttons.add(c);
            }
        }
        int bottom = app.dialog() ? Math.min(h - 76, y + 140) : h - 76;
        int bw = (w - 2 * MARGIN - (buttons.size() - 1) * 24) / Math.max(1, buttons.size());
        for (int i = 0; i < buttons.size(); i++) {
            ControlSpec b = buttons.get(i);
            int x = MARGIN + i * (bw + 24);
            content.add(new UiNode(k + b.id(), "android.widget.Button", pkg, b.text(), ids + ":id/" + b.id(), "",
                    false, false, true, true, new Bounds(x, bottom - 104, x + bw, bottom), List.of()));
        }
        UiNode layout = container(k + "content", "android.widget.LinearLayout", pkg,
                app.dialog() ? "android:id/parentPanel" : pkg + ":id/content", new Bounds(0, top, w, bottom),
                content);
        return container(k + "root", "android.widget.FrameLayout", pkg, "", new Bounds(0, 0, w, h), List.of(layout));
    }

    private static String widget(ControlSpec c) {
        return c.type() == ControlType.SWITCH ? "android.widget.Switch" : "android.widget.CheckBox";
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
