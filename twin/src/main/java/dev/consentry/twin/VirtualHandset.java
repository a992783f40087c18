package dev.consentry.twin;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.DeviceEvent;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.FirmwareLoader;
import dev.consentry.twin.identity.Identity;
import dev.consentry.twin.log.TwinLog;
import dev.consentry.twin.net.Hosts;
import dev.consentry.twin.net.TrafficEngine;
import dev.consentry.twin.shell.Shell;
import dev.consentry.twin.ui.HandsetUi;
import dev.consentry.twin.webdriver.WebDriverServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;

/**
 * A virtual Android handset: an Appium (UiAutomator2) endpoint in front of a firmware model. Started powered on, at
 * the first setup-wizard screen. Nothing here reports what the handset sent; only a capture can know that.
 */
public final class VirtualHandset implements AutoCloseable {
    /** What /status reports as the Appium build, the version the lab's real Appium runs. */
    static final String APPIUM_VERSION = "3.8.0";

    private final String serial;
    private final Firmware firmware;
    private final Identity factoryIdentity;
    private final TwinLog log;
    private final WebDriverServer server;
    /** Whether a SIM sits in the tray; hardware, so it outlives reboots. */
    private final AtomicBoolean sim;
    private final Map<String, String> props;
    private final Builder config;
    private final HandsetDevice device;
    /** Factory resets so far; each gives the handset a new Android ID, as Android regenerates it on a wipe. */
    private final AtomicInteger resets = new AtomicInteger();
    /** The property telephony sets per SIM state, as {@code getprop} reads it on a handset. */
    static final String SIM_STATE = "gsm.sim.state";
    /** Set by Test Harness Mode; survives its own factory reset, as the mode does. */
    static final String TEST_HARNESS = "persist.sys.test_harness";

    private VirtualHandset(Builder b) throws IOException {
        this.firmware = b.firmware != null ? b.firmware : FirmwareLoader.bundled(b.firmwareName);
        this.serial = b.serial;
        this.config = b;
        this.factoryIdentity = Identity.derive(serial, b.imei, b.phoneNumber);
        this.log = new TwinLog(serial, b.logLines, Clock.systemDefaultZone());
        this.props = new ConcurrentHashMap<>(firmware.properties());
        this.sim = new AtomicBoolean(b.simInserted);
        props.put(SIM_STATE, b.simInserted ? "READY" : "ABSENT");
        props.put("ro.serialno", serial);
        props.put("ro.boot.serialno", serial);
        props.put("sys.boot_completed", "1");

        BootedParts parts = parts(factoryIdentity, false);
        device = new HandsetDevice(firmware, serial, b.allowShell, log);
        device.boot(parts);
        try {
            server = new WebDriverServer(device, b.bind, b.port, APPIUM_VERSION);
        } catch (IOException | RuntimeException e) {
            parts.traffic().close();
            throw e;
        }
        log.log("boot", "firmware " + firmware.name() + ", " + props.get("ro.build.fingerprint"));
        powerOn(parts);
        parts.traffic().onEvent(new DeviceEvent.ScreenEntered(parts.ui().firstScreenId()));
        if (b.setupCompleted) {
            parts.ui().completeSetup();
        }
    }

    /**
     * Everything that lives in /data and in the running system: rebuilt on a factory reset. Settings start at the
     * firmware's defaults; a Test Harness Mode boot is provisioned without the wizard and keeps adb on.
     */
    private BootedParts parts(Identity identity, boolean testHarness) {
        Settings settings = new Settings();
        firmware.settings().forEach((ns, values) -> values.forEach((k, v) ->
                settings.put(Settings.Namespace.valueOf(ns.toUpperCase(java.util.Locale.ROOT)), k, v)));
        settings.put(Settings.Namespace.SECURE, "android_id", identity.androidId());
        settings.put(Settings.Namespace.GLOBAL, "device_provisioned", testHarness ? "1" : "0");
        if (testHarness) {
            settings.put(Settings.Namespace.SECURE, "user_setup_complete", "1");
            settings.put(Settings.Namespace.GLOBAL, "adb_enabled", "1");
            settings.put(Settings.Namespace.GLOBAL, "development_settings_enabled", "1");
        }
        VirtualFileSystem files = new VirtualFileSystem(Set.of(firmware.device().caDirectory(), "/sdcard",
                "/sdcard/Download", "/data/local/tmp"));
        // The kernel's view of the Wi-Fi interface, as `cat` reads it over adb shell.
        files.write("/sys/class/net/wlan0/address",
                (identity.wifiMac() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // The kernel's per-boot id: how a lab tells a handset that came back from one that never went away.
        files.write("/proc/sys/kernel/random/boot_id", (java.util.UUID.randomUUID() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ContactsProvider contacts = new ContactsProvider();
        TrafficEngine traffic = new TrafficEngine(firmware, identity, contacts, settings, files, config.internet,
                config.hosts, m -> log.log("net", m));
        HandsetUi ui = new HandsetUi(firmware, event -> {
            record(event, settings);
            traffic.onEvent(event);
        }, new Apps(settings, contacts, files));
        contacts.onChange(() -> traffic.onEvent(new DeviceEvent.ContactsChanged()));
        Shell shell = new Shell(identity, props, firmware.serviceCalls(), settings, contacts, files, ui::start, log,
                this::enableTestHarness);
        return new BootedParts(identity, settings, contacts, files, ui, shell, traffic);
    }

    private void powerOn(BootedParts parts) {
        parts.traffic().start();
        parts.traffic().onEvent(new DeviceEvent.Booted());
        if (sim.get()) {
            simReady(parts);
        }
    }

    /**
     * {@code cmd testharness enable}, as Android 10+ answers it: the handset keeps its adb keys, wipes /data and
     * reboots into a provisioned, wizard-less system. The reply goes out first; the reboot follows on its own
     * thread, so adb (and with it the UiAutomator2 server and the session) drops a moment later.
     */
    private String enableTestHarness() {
        log.log("testharness", "enabling Test Harness Mode: adb keys kept, factory reset follows");
        Thread t = new Thread(this::factoryResetIntoTestHarness, "twin-" + serial + "-reset");
        t.setDaemon(true);
        t.start();
        return "";
    }

    private void factoryResetIntoTestHarness() {
        try {
            Thread.sleep(RESET_NOTICE.toMillis());
            BootedParts old = device.offline();
            log.log("boot", "rebooting: factory reset (Test Harness Mode)");
            if (old != null) {
                old.traffic().close();
            }
            Thread.sleep(config.rebootTime.toMillis());
            props.put(TEST_HARNESS, "1");
            BootedParts parts = parts(factoryIdentity.afterFactoryReset(resets.incrementAndGet()), true);
            device.boot(parts);
            log.log("boot", "firmware " + firmware.name() + ", Test Harness Mode: setup wizard skipped");
            powerOn(parts);
            parts.ui().skipSetup();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long after answering {@code cmd testharness enable} the handset drops off adb. */
    private static final Duration RESET_NOTICE = Duration.ofMillis(200);

    /**
     * Puts a SIM into the tray of a running handset, as a lab person or a SIM switch box does: telephony loads it and
     * the firmware hears {@code SIM_STATE_CHANGED} (trigger {@code sim_inserted}). Android lets no shell user send that
     * broadcast, so the event comes from here, not from {@code am broadcast}.
     *
     * @return false when a SIM was already in
     */
    public boolean insertSim() {
        if (!sim.compareAndSet(false, true)) {
            return false;
        }
        BootedParts parts = device.parts();
        if (parts == null) {
            props.put(SIM_STATE, "READY"); // detected when the handset comes back up
        } else {
            simReady(parts);
        }
        return true;
    }

    /** Takes the SIM out; nothing fires (no firmware model reacts to it). @return false when there was none */
    public boolean removeSim() {
        if (!sim.compareAndSet(true, false)) {
            return false;
        }
        props.put(SIM_STATE, "ABSENT");
        log.log("telephony", "SIM_STATE_CHANGED ABSENT");
        return true;
    }

    private void simReady(BootedParts parts) {
        props.put(SIM_STATE, "READY");
        log.log("telephony", "SIM_STATE_CHANGED LOADED");
        parts.traffic().onEvent(new DeviceEvent.SimInserted());
    }

    /** App screens' view of the handset: switches read settings, the contacts app reads and imports contacts. */
    private record Apps(Settings settings, ContactsProvider contacts, VirtualFileSystem files)
            implements dev.consentry.twin.ui.AppEnvironment {
        @Override
        public Optional<Boolean> setting(String name) {
            return settings.get(Settings.Namespace.SECURE, name)
                    .or(() -> settings.get(Settings.Namespace.GLOBAL, name)).map(v -> v.trim().equals("1"));
        }

        @Override
        public List<String> contactNames() {
            return contacts.contacts().stream().map(dev.consentry.twin.device.Contact::name).toList();
        }

        @Override
        public int importVcard(String uri) {
            String path = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
            byte[] file = files.read(path).orElseThrow(() -> new IllegalArgumentException("no such file: " + uri));
            var cards = dev.consentry.twin.device.VcardImport.parse(file);
            if (cards.isEmpty()) {
                throw new IllegalArgumentException(uri + " holds no vCard");
            }
            cards.forEach(c -> contacts.insertContact(c.name(), c.phones()));
            return cards.size();
        }
    }

    /** Device-side bookkeeping of UI events: screens in the log, committed choices as settings. */
    private void record(DeviceEvent event, Settings settings) {
        if (event instanceof DeviceEvent.ScreenEntered s) {
            log.log("ui", "screen " + s.screen());
        } else if (event instanceof DeviceEvent.SettingChanged c) {
            settings.put(Settings.Namespace.SECURE, c.setting(), c.on() ? "1" : "0");
        } else if (event instanceof DeviceEvent.SetupCompleted) {
            settings.put(Settings.Namespace.GLOBAL, "device_provisioned", "1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    public String serial() {
        return serial;
    }

    public String firmwareName() {
        return firmware.name();
    }

    /** The identifiers this handset carries (what prep should read back over the shell). */
    public Identity identity() {
        BootedParts parts = device.parts();
        return parts != null ? parts.identity() : factoryIdentity;
    }

    /** The last lines of the handset's own log, oldest first, for a report's log tail. */
    public List<String> logTail(int lines) {
        return log.tail(lines);
    }

    @Override
    public void close() {
        server.close();
        BootedParts parts = device.offline();
        if (parts != null) {
            parts.traffic().close();
        }
        log.log("boot", "powered off");
    }

    /** Builder; {@link #withFirmware(String)} and {@link #withSerial} are required. */
    public static final class Builder {
        private String firmwareName;
        private Firmware firmware;
        private String serial;
        private int port;
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private Optional<InetSocketAddress> internet = Optional.empty();
        private Hosts hosts = Hosts.none();
        private Optional<String> imei = Optional.empty();
        private Optional<String> phoneNumber = Optional.empty();
        private boolean allowShell = true;
        private boolean setupCompleted;
        private boolean simInserted = true;
        private int logLines = 2000;
        private Duration rebootTime = Duration.ofSeconds(2);

        private Builder() {
        }

        /** A firmware bundled under {@code firmware/<name>.yaml}. */
        public Builder withFirmware(String name) {
            this.firmwareName = Objects.requireNonNull(name, "firmware");
            this.firmware = null;
            return this;
        }

        /** A firmware loaded elsewhere (see {@link FirmwareLoader#parse}). */
        public Builder withFirmware(Firmware firmware) {
            this.firmware = Objects.requireNonNull(firmware, "firmware");
            this.firmwareName = null;
            return this;
        }

        /** The adb serial, which is also Appium's udid; identity is derived from it. */
        public Builder withSerial(String serial) {
            this.serial = Objects.requireNonNull(serial, "serial");
            return this;
        }

        /** TCP port on 127.0.0.1; 0 picks a free one. */
        public Builder withPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Where the WebDriver port listens: loopback (the default), or a private address of the twin's own network
         * namespace (its management link, as a USB cable is for a real handset). Never a public address.
         */
        public Builder withBindAddress(InetAddress bind) {
            Objects.requireNonNull(bind, "bind");
            if (!bind.isLoopbackAddress() && !bind.isSiteLocalAddress() && !bind.isLinkLocalAddress()) {
                throw new IllegalArgumentException("bind address " + bind.getHostAddress()
                        + ": a virtual handset listens on loopback or a private (10/8, 172.16/12, 192.168/16) or "
                        + "link-local address only");
            }
            this.bind = bind;
            return this;
        }

        /**
         * Where traffic goes when no proxy is set: a local stand-in for the internet (must be loopback). Empty: with
         * no proxy the handset has no network.
         */
        public Builder withInternet(Optional<InetSocketAddress> internet) {
            this.internet = Objects.requireNonNull(internet, "internet");
            return this;
        }

        /**
         * The handset's name resolution (like /etc/hosts): a destination named here is reached at that address,
         * directly, when no proxy applies (none set, or a {@code direct} request). Addresses must be loopback or
         * lab-only ({@link Hosts#of}); a host not named falls back to the internet stand-in.
         */
        public Builder withHosts(Map<String, InetAddress> hosts) {
            this.hosts = Hosts.of(Objects.requireNonNull(hosts, "hosts"));
            return this;
        }

        public Builder withImei(String imei) {
            this.imei = Optional.of(imei);
            return this;
        }

        public Builder withPhoneNumber(String phoneNumber) {
            this.phoneNumber = Optional.of(phoneNumber);
            return this;
        }

        /** False behaves like an Appium server started without {@code --allow-insecure uiautomator2:adb_shell}. */
        public Builder withAllowShell(boolean allowShell) {
            this.allowShell = allowShell;
            return this;
        }

        /**
         * True boots the handset with its setup wizard already finished (choices left at the firmware's defaults), as
         * a lab receives a handset whose build does not keep ADB through the wizard: set up by hand, or by Test
         * Harness Mode on Android 10+.
         */
        public Builder withSetupCompleted(boolean setupCompleted) {
            this.setupCompleted = setupCompleted;
            return this;
        }

        /** False boots the handset with an empty SIM tray ({@link #insertSim()} puts one in later). Default true. */
        public Builder withSimInserted(boolean simInserted) {
            this.simInserted = simInserted;
            return this;
        }

        /**
         * How long the handset is off adb while it factory-resets and reboots (Test Harness Mode); minutes on a
         * handset, 2 s by default here.
         */
        public Builder withRebootTime(Duration rebootTime) {
            if (rebootTime.isNegative()) {
                throw new IllegalArgumentException("reboot time must not be negative");
            }
            this.rebootTime = rebootTime;
            return this;
        }

        public Builder withLogLines(int lines) {
            if (lines <= 0) {
                throw new IllegalArgumentException("log lines must be positive");
            }
            this.logLines = lines;
            return this;
        }

        /** Boots the handset and starts its Appium endpoint. */
        public VirtualHandset start() {
            if (firmware == null && firmwareName == null) {
                throw new IllegalStateException("withFirmware(...) is required");
            }
            if (serial == null || serial.isBlank()) {
                throw new IllegalStateException("withSerial(...) is required");
            }
            internet.ifPresent(a -> {
                if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                    throw new IllegalArgumentException("the internet stand-in must be a loopback address: " + a);
                }
            });
            try {
                return new VirtualHandset(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Appium endpoint on port " + port, e);
            }
        }
    }
}
