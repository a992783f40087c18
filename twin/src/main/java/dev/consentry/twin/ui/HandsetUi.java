package dev.consentry.twin.ui;

import dev.consentry.twin.device.DeviceEvent;
import dev.consentry.twin.firmware.ControlSpec;
import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.ScreenSpec;

import dev.consentry.twin.firmware.AppScreenSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What is on the screen and what taps do: the setup wizard as the firmware describes it, then the launcher, with app
 * screens (started by intents) on top of either. Events are handed out after the state lock is released so listeners
 * may read the UI without deadlocking.
 */
public final class HandsetUi {
    private final Firmware firmware;
    private final Consumer<DeviceEvent> events;
    private final Map<String, Boolean> checkboxes = new HashMap<>();
    private final Map<String, Boolean> committed = new HashMap<>();
    private final AppEnvironment env;
    private final Deque<Shown> apps = new ArrayDeque<>();
    private int screenIndex;
    private long generation = 1;

    /** An app screen on the back stack, with the data URI of the intent that opened it. */
    private record Shown(AppScreenSpec spec, Optional<String> data) { }

    public HandsetUi(Firmware firmware, Consumer<DeviceEvent> events, AppEnvironment env) {
        this.firmware = firmware;
        this.events = events;
        this.env = env;
    }

    /** Starts the wizard already finished, as on a handset set up by hand or by Test Harness Mode. */
    public void completeSetup() {
        List<DeviceEvent> fired = new ArrayList<>();
        synchronized (this) {
            while (current().isPresent()) {
                leave(current().get(), fired);
            }
            generation++;
            fired.add(new DeviceEvent.SetupCompleted());
            fired.add(new DeviceEvent.ScreenEntered("home"));
        }
        fired.forEach(events);
    }

    /**
     * Boots straight to the launcher without the wizard ever running, as Test Harness Mode does: the wizard's
     * pre-ticked boxes were never shown, so nothing is committed and no setup_complete event fires.
     */
    public void skipSetup() {
        synchronized (this) {
            screenIndex = firmware.wizard().screens().size();
            generation++;
        }
        events.accept(new DeviceEvent.ScreenEntered("home"));
    }

    /**
     * {@code am start}: an explicit component, or an action with data and MIME type.
     *
     * @return the screen started, or empty when nothing resolves the intent
     */
    public Optional<String> start(Optional<String> component, Optional<String> action, Optional<String> data,
                                  Optional<String> mimeType) {
        Optional<AppScreenSpec> target = firmware.apps().stream().filter(a -> component.isPresent()
                ? sameComponent(a, component.get())
                : action.filter("android.intent.action.VIEW"::equals).isPresent()
                && a.viewType().isPresent() && a.viewType().equals(mimeType)).findFirst();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            apps.push(new Shown(target.get(), data));
            generation++;
        }
        events.accept(new DeviceEvent.ScreenEntered(target.get().id()));
        return Optional.of(target.get().id());
    }

    private static boolean sameComponent(AppScreenSpec a, String component) {
        String c = component.trim();
        return c.equals(a.component()) || c.equals(a.packageName() + "/" + a.activity());
    }

    public String firstScreenId() {
        return firmware.wizard().screens().get(0).id();
    }

    public synchronized UiSnapshot snapshot() {
        int w = firmware.device().width();
        int h = firmware.device().height();
        if (!apps.isEmpty()) {
            AppScreenSpec a = apps.peek().spec();
            Map<String, Boolean> states = new HashMap<>();
            a.screen().controls().stream().filter(ControlSpec::toggles).forEach(c -> states.put(c.id(),
                    c.setting().flatMap(env::setting).orElse(c.checked())));
            List<String> contacts = a.listContacts() ? env.contactNames() : List.of();
            return new UiSnapshot(generation, a.id(), a.screen().title(), w, h,
                    ScreenLayout.appScreen(a, states, contacts, w, h));
        }
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
        if (!apps.isEmpty()) {
            return clickApp(apps.peek(), key, fired);
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
        if (c.toggles()) {
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

    private ClickOutcome clickApp(Shown shown, String key, List<DeviceEvent> fired) {
        AppScreenSpec a = shown.spec();
        Optional<ControlSpec> control = a.screen().controls().stream()
                .filter(c -> key.equals(a.id() + "/" + c.id())).findFirst();
        if (control.isEmpty()) {
            return ClickOutcome.NOTHING_TO_DO;
        }
        ControlSpec c = control.get();
        if (c.toggles()) {
            // Preference switches commit at once; a switch without a setting only changes how it looks.
            if (c.setting().isPresent()) {
                boolean on = !env.setting(c.setting().get()).orElse(c.checked());
                fired.add(new DeviceEvent.SettingChanged(c.setting().get(), on));
            }
            return ClickOutcome.HANDLED;
        }
        switch (c.action()) {
            case BACK -> apps.pop();
            case IMPORT_VCARD -> {
                String uri = shown.data().orElseThrow(() -> new IllegalStateException(
                        a.id() + ": import with no file: the intent carried no data URI"));
                env.importVcard(uri);
                apps.pop();
            }
            default -> {
                return ClickOutcome.NOTHING_TO_DO;
            }
        }
        generation++;
        fired.add(new DeviceEvent.ScreenEntered(!apps.isEmpty() ? apps.peek().spec().id()
                : current().map(ScreenSpec::id).orElse("home")));
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
