package dev.consentry.twin.ui;

import dev.consentry.twin.device.DeviceEvent;
import dev.consentry.twin.firmware.ControlSpec;
import dev.consentry.twin.firmware.ControlSpec.ControlType;
import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.ScreenSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What is on the screen and what taps do: the setup wizard as the firmware describes it, then the launcher.
 * Events are handed out after the state lock is released so listeners may read the UI without deadlocking.
 */
public final class HandsetUi {
    private final Firmware firmware;
    private final Consumer<DeviceEvent> events;
    private final Map<String, Boolean> checkboxes = new HashMap<>();
    private final Map<String, Boolean> committed = new HashMap<>();
    private int screenIndex;
    private long generation = 1;

    public HandsetUi(Firmware firmware, Consumer<DeviceEvent> events) {
        this.firmware = firmware;
        this.events = events;
    }

    public String firstScreenId() {
        return firmware.wizard().screens().get(0).id();
    }

    public synchronized UiSnapshot snapshot() {
        int w = firmware.device().width();
        int h = firmware.device().height();
        Optional<ScreenSpec> screen = current();
        if (screen.isEmpty()) {
            return new UiSnapshot(generation, "home", "", w, h, ScreenLayout.home(firmware.home(), w, h));
        }
        ScreenSpec s = screen.get();
        Map<String, Boolean> states = new HashMap<>();
        s.controls().forEach(c -> states.put(c.id(), checkboxes.getOrDefault(s.id() + "/" + c.id(), c.checked())));
        return new UiSnapshot(generation, s.id(), s.title(), w, h,
                ScreenLayout.wizardScreen(firmware.wizard().packageName(), s, states, w, h));
    }

    public ClickOutcome click(long elementGeneration, String key) {
        List<DeviceEvent> fired = new ArrayList<>();
        ClickOutcome outcome;
        synchronized (this) {
            outcome = clickLocked(elementGeneration, key, fired);
        }
        fired.forEach(events);
        return outcome;
    }

    /** The settings the wizard has committed so far (checkbox state when its screen was left). */
    public synchronized Map<String, Boolean> committedSettings() {
        return Map.copyOf(committed);
    }

    private ClickOutcome clickLocked(long elementGeneration, String key, List<DeviceEvent> fired) {
        if (elementGeneration != generation) {
            return ClickOutcome.STALE;
        }
        Optional<ScreenSpec> screen = current();
        if (screen.isEmpty()) {
            return ClickOutcome.NOTHING_TO_DO;
        }
        ScreenSpec s = screen.get();
        Optional<ControlSpec> control = s.controls().stream().filter(c -> key.equals(s.id() + "/" + c.id())).findFirst();
        if (control.isEmpty()) {
            return ClickOutcome.NOTHING_TO_DO;
        }
        ControlSpec c = control.get();
        if (c.type() == ControlType.CHECKBOX) {
            checkboxes.put(key, !checkboxes.getOrDefault(key, c.checked()));
            return ClickOutcome.HANDLED;
        }
        switch (c.action()) {
            case NEXT -> leave(s, fired);
            case FINISH -> {
                leave(s, fired);
                screenIndex = firmware.wizard().screens().size();
                fired.add(new DeviceEvent.SetupCompleted());
            }
            case NONE -> {
                return ClickOutcome.NOTHING_TO_DO;
            }
        }
        generation++;
        fired.add(new DeviceEvent.ScreenEntered(current().map(ScreenSpec::id).orElse("home")));
        return ClickOutcome.HANDLED;
    }

    private void leave(ScreenSpec s, List<DeviceEvent> fired) {
        for (ControlSpec c : s.controls()) {
            if (c.setting().isPresent()) {
                boolean on = checkboxes.getOrDefault(s.id() + "/" + c.id(), c.checked());
                Boolean before = committed.put(c.setting().get(), on);
                if (before == null || before != on) {
                    fired.add(new DeviceEvent.SettingChanged(c.setting().get(), on));
                }
            }
        }
        screenIndex = Math.min(screenIndex + 1, firmware.wizard().screens().size());
    }

    private Optional<ScreenSpec> current() {
        List<ScreenSpec> screens = firmware.wizard().screens();
        return screenIndex < screens.size() ? Optional.of(screens.get(screenIndex)) : Optional.empty();
    }
}
