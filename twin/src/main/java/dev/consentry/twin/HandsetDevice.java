package dev.consentry.twin;

import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.log.TwinLog;
import dev.consentry.twin.render.ScreenshotRenderer;
import dev.consentry.twin.ui.ClickOutcome;
import dev.consentry.twin.ui.UiSnapshot;
import dev.consentry.twin.webdriver.Device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The handset's parts as the WebDriver server sees them. While the handset reboots there are none: it is off adb, and
 * whatever reaches it then fails as a command to a vanished device does.
 */
final class HandsetDevice implements Device {
    private final Firmware firmware;
    private final String serial;
    private final ScreenshotRenderer renderer = new ScreenshotRenderer();
    private final boolean allowShell;
    private final TwinLog log;
    private final AtomicReference<BootedParts> parts = new AtomicReference<>();
    private final AtomicLong boots = new AtomicLong();

    HandsetDevice(Firmware firmware, String serial, boolean allowShell, TwinLog log) {
        this.firmware = firmware;
        this.serial = serial;
        this.allowShell = allowShell;
        this.log = log;
    }

    /** The handset is up on these parts: a new boot, so sessions from before it have lost their server. */
    void boot(BootedParts booted) {
        boots.incrementAndGet();
        parts.set(booted);
    }

    /** Drops off adb (reboot or power off); returns the parts it ran on, or null when it was off already. */
    BootedParts offline() {
        return parts.getAndSet(null);
    }

    /** The running parts, or null while rebooting. */
    BootedParts parts() {
        return parts.get();
    }

    private BootedParts up() {
        BootedParts p = parts.get();
        if (p == null) {
            throw new IllegalStateException("error: device '" + serial + "' not found");
        }
        return p;
    }

    @Override
    public boolean online() {
        return parts.get() != null;
    }

    @Override
    public long boot() {
        return boots.get();
    }

    @Override
    public String serial() {
        return serial;
    }

    @Override
    public String platformVersion() {
        return firmware.properties().getOrDefault("ro.build.version.release", "");
    }

    @Override
    public UiSnapshot snapshot() {
        return up().ui().snapshot();
    }

    @Override
    public ClickOutcome click(long generation, String key) {
        ClickOutcome o = up().ui().click(generation, key);
        log.log("input", "tap " + key + ": " + o.name().toLowerCase());
        return o;
    }

    @Override
    public Optional<String> startActivity(Optional<String> component, Optional<String> action, Optional<String> data,
                                          Optional<String> mimeType) {
        Optional<String> shown = up().ui().start(component, action, data, mimeType);
        log.log("am", "start " + component.orElse("") + action.orElse("") + data.map(d -> " " + d).orElse("")
                + ": " + shown.map(x -> "screen " + x).orElse("unresolved"));
        return shown;
    }

    @Override
    public byte[] screenshotPng() {
        return renderer.png(up().ui().snapshot());
    }

    @Override
    public boolean shellAllowed() {
        return allowShell;
    }

    @Override
    public String shell(String command, List<String> args) {
        return up().shell().run(command, args);
    }

    @Override
    public void pushFile(String remotePath, byte[] content) {
        up().files().write(remotePath, content);
        log.log("adb", "push " + remotePath + " (" + content.length + " bytes)");
    }

    @Override
    public Optional<byte[]> pullFile(String remotePath) {
        return remotePath.startsWith("/") ? up().files().read(remotePath) : Optional.empty();
    }

    @Override
    public Map<String, Object> deviceInfo() {
        Map<String, String> p = firmware.properties();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("androidId", up().identity().androidId());
        info.put("manufacturer", firmware.device().manufacturer());
        info.put("model", firmware.device().model());
        info.put("brand", p.getOrDefault("ro.product.brand", firmware.device().manufacturer()));
        info.put("apiVersion", p.getOrDefault("ro.build.version.sdk", ""));
        info.put("platformVersion", platformVersion());
        info.put("carrierName", "");
        info.put("realDisplaySize", firmware.device().width() + "x" + firmware.device().height());
        info.put("displayDensity", firmware.device().density());
        info.put("networks", List.of());
        info.put("locale", "en_IN");
        info.put("timeZone", p.getOrDefault("persist.sys.timezone", "UTC"));
        info.put("bluetooth", Map.of("state", "OFF"));
        return info;
    }

    @Override
    public void log(String tag, String message) {
        log.log(tag, message);
    }
}
