package dev.consentry.twin;

import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.identity.Identity;
import dev.consentry.twin.log.TwinLog;
import dev.consentry.twin.render.ScreenshotRenderer;
import dev.consentry.twin.shell.Shell;
import dev.consentry.twin.ui.ClickOutcome;
import dev.consentry.twin.ui.HandsetUi;
import dev.consentry.twin.ui.UiSnapshot;
import dev.consentry.twin.webdriver.Device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The handset's parts as the WebDriver server sees them. */
final class HandsetDevice implements Device {
    private final Firmware firmware;
    private final Identity identity;
    private final HandsetUi ui;
    private final Shell shell;
    private final VirtualFileSystem files;
    private final ScreenshotRenderer renderer = new ScreenshotRenderer();
    private final boolean allowShell;
    private final TwinLog log;

    HandsetDevice(Firmware firmware, Identity identity, HandsetUi ui, Shell shell, VirtualFileSystem files,
                  boolean allowShell, TwinLog log) {
        this.firmware = firmware;
        this.identity = identity;
        this.ui = ui;
        this.shell = shell;
        this.files = files;
        this.allowShell = allowShell;
        this.log = log;
    }

    @Override
    public String serial() {
        return identity.serial();
    }

    @Override
    public String platformVersion() {
        return firmware.properties().getOrDefault("ro.build.version.release", "");
    }

    @Override
    public UiSnapshot snapshot() {
        return ui.snapshot();
    }

    @Override
    public ClickOutcome click(long generation, String key) {
        ClickOutcome o = ui.click(generation, key);
        log.log("input", "tap " + key + ": " + o.name().toLowerCase());
        return o;
    }

    @Override
    public Optional<String> startActivity(Optional<String> component, Optional<String> action, Optional<String> data,
                                          Optional<String> mimeType) {
        Optional<String> shown = ui.start(component, action, data, mimeType);
        log.log("am", "start " + component.orElse("") + action.orElse("") + data.map(d -> " " + d).orElse("")
                + ": " + shown.map(x -> "screen " + x).orElse("unresolved"));
        return shown;
    }

    @Override
    public byte[] screenshotPng() {
        return renderer.png(ui.snapshot());
    }

    @Override
    public boolean shellAllowed() {
        return allowShell;
    }

    @Override
    public String shell(String command, List<String> args) {
        return shell.run(command, args);
    }

    @Override
    public void pushFile(String remotePath, byte[] content) {
        files.write(remotePath, content);
        log.log("adb", "push " + remotePath + " (" + content.length + " bytes)");
    }

    @Override
    public Optional<byte[]> pullFile(String remotePath) {
        return remotePath.startsWith("/") ? files.read(remotePath) : Optional.empty();
    }

    @Override
    public Map<String, Object> deviceInfo() {
        Map<String, String> p = firmware.properties();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("androidId", identity.androidId());
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
