package dev.consentry.profile;

import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code device-profiles/<name>.yaml}. Uses SnakeYAML's node API rather than binding to objects because nodes
 * keep their position: every error names file, line, column and field path, which is what someone adding a handset
 * needs when the nightly run refuses their profile.
 */
public final class DeviceProfileLoader {
    static final String SUFFIX = ".yaml";

    private static final Set<String> TOP = ordered("manufacturer", "model", "firmware", "uiDialect", "appium",
            "identifiers", "ca", "virtual", "build", "precheck", "tap", "reset", "capture");
    private static final Set<String> TAP = ordered("interface", "address", "namespace");
    private static final Set<String> CAPTURE = ordered("mode", "interface", "address", "port");
    private static final Map<String, String> CAPTURE_MODES = orderedMap("proxy", "access-point");
    private static final Set<String> FIRMWARE = ordered("fingerprint", "android", "skin", "released");
    private static final Set<String> APPIUM = ordered("udid", "systemPort", "server");
    private static final Set<String> IDENTIFIERS = ordered("imei", "phoneNumber", "androidId", "serial", "wifiMac");
    private static final Set<String> BUILD = ordered("type", "adbThroughWizard", "note");
    private static final Set<String> PRECHECK = ordered("command", "expect", "problem");
    private static final Map<String, String> BUILD_TYPES = orderedMap("user", "userdebug", "eng");
    private static final Map<String, Boolean> BOOLEANS = booleans();
    private static final Set<String> IDENTIFIER = ordered("command", "parse");
    private static final Set<String> CA = ordered("store", "directory", "note");
    private static final Set<String> VIRTUAL = ordered("firmware");
    private static final Map<String, UiDialect> DIALECTS = dialects();
    private static final Map<String, String> STORES = orderedMap("user", "system", "apex");

    private DeviceProfileLoader() {
    }

    /** @throws ProfileException listing every problem found in the file */
    public static DeviceProfile load(Path file) {
        String where = file.toString();
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
            throw new ProfileException(List.of(where + ": a device profile is a <name>" + SUFFIX + " file"));
        }
        Node root = compose(file, where);
        List<YamlMapping.Problem> problems = new ArrayList<>();
        Optional<DeviceProfile> profile = read(root, where, problems, profileName(file), file);
        if (!problems.isEmpty() || profile.isEmpty()) {
            throw new ProfileException(problems.stream().sorted(YamlMapping.Problem.IN_FILE_ORDER)
                    .map(YamlMapping.Problem::text).toList());
        }
        return profile.get();
    }

    /**
     * Every {@code *.yaml} in {@code dir}, sorted by profile name.
     *
     * @throws ProfileException listing the problems of all files, or if the directory holds no profile
     */
    public static List<DeviceProfile> loadAll(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            // Sorted by profile name: by file name, "x-08.yaml" would come before "x.yaml".
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted(java.util.Comparator.comparing(DeviceProfileLoader::profileName)).toList();
        } catch (IOException e) {
            throw new ProfileException(dir + ": cannot list device profiles: " + e, e);
        }
        if (files.isEmpty()) {
            throw new ProfileException(List.of(dir + ": no *" + SUFFIX + " device profiles here"));
        }
        List<DeviceProfile> profiles = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                profiles.add(load(f));
            } catch (ProfileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ProfileException(problems);
        }
        return List.copyOf(profiles);
    }

    private static String profileName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - SUFFIX.length());
    }

    private static Node compose(Path file, String where) {
        return YamlMapping.compose(file, "a device profile mapping", ProfileException::new);
    }

    private static Optional<DeviceProfile> read(Node root, String where, List<YamlMapping.Problem> problems, String name,
                                                Path source) {
        YamlMapping top = YamlMapping.of(where, problems, root, "", TOP);
        Optional<String> manufacturer = top.string("manufacturer", true);
        Optional<String> model = top.string("model", true);
        Optional<Firmware> firmware = top.mapping("firmware", FIRMWARE, true).flatMap(f -> {
            Optional<String> fingerprint = f.string("fingerprint", true);
            Optional<String> android = f.string("android", true);
            Optional<String> skin = f.string("skin", false); // AOSP builds have none
            Optional<String> released = f.string("released", true);
            return all(fingerprint, android, released)
                    ? Optional.of(new Firmware(fingerprint.get(), android.get(), skin.orElse(""), released.get()))
                    : Optional.empty();
        });
        Optional<UiDialect> dialect = top.choice("uiDialect", DIALECTS);
        Optional<YamlMapping> appium = top.mapping("appium", APPIUM, true);
        Optional<String> udid = appium.flatMap(a -> a.string("udid", true));
        Optional<Integer> systemPort = appium.flatMap(a -> a.integer("systemPort", 1024, 65535));
        Optional<java.net.URI> server = appium.flatMap(a -> a.has("server")
                ? a.string("server", DeviceProfileLoader::checkServer).map(java.net.URI::create) : Optional.empty());
        Optional<YamlMapping> ids = top.mapping("identifiers", IDENTIFIERS, true);
        Optional<IdentifierRead> imei = ids.flatMap(i -> identifier(i, "imei"));
        Optional<IdentifierRead> phone = ids.flatMap(i -> identifier(i, "phoneNumber"));
        Optional<IdentifierRead> androidId = ids.flatMap(i -> optionalIdentifier(i, "androidId"));
        Optional<IdentifierRead> serial = ids.flatMap(i -> optionalIdentifier(i, "serial"));
        Optional<IdentifierRead> wifiMac = ids.flatMap(i -> optionalIdentifier(i, "wifiMac"));
        // Without a build section the profile describes a lab handset whose build keeps ADB (the 2014 Redmi images).
        Optional<BuildKind> build = top.mapping("build", BUILD, false).map(b -> {
            Optional<String> type = b.choice("type", BUILD_TYPES);
            Optional<Boolean> adb = b.choice("adbThroughWizard", BOOLEANS);
            return new BuildKind(type.orElse("?"), adb.orElse(false), b.string("note", false));
        }).or(() -> Optional.of(new BuildKind("userdebug", true, Optional.empty())));
        Optional<PrecheckCommand> precheck = top.mapping("precheck", PRECHECK, false).flatMap(c -> {
            Optional<String> command = c.string("command", true);
            Optional<String> expect = c.string("expect", true);
            Optional<String> problem = c.string("problem", true);
            return all(command, expect, problem)
                    ? Optional.of(new PrecheckCommand(command.get(), expect.get(), problem.get())) : Optional.empty();
        });
        Optional<CaInstall> ca = top.mapping("ca", CA, true).flatMap(c -> {
            Optional<String> store = c.choice("store", STORES);
            Optional<String> dir = c.string("directory", d -> d.startsWith("/") ? null
                    : "expected an absolute path on the handset");
            Optional<String> note = c.string("note", false);
            return all(store, dir) ? Optional.of(new CaInstall(store.get(), dir.get(), note)) : Optional.empty();
        });
        Optional<String> virtual = top.mapping("virtual", VIRTUAL, false).flatMap(v -> v.string("firmware", true));
        Optional<TapConfig> tap = top.mapping("tap", TAP, false).flatMap(t -> {
            Optional<String> iface = t.string("interface", f -> f.isBlank() || f.contains(" ")
                    ? "expected an interface name (ip link lists them)" : null);
            Optional<String> address = t.string("address", a -> ipLiteral(a).isPresent() ? null
                    : "expected the handset's IP address on the tapped network (an IPv4 or IPv6 literal)");
            Optional<String> namespace = t.has("namespace") ? t.string("namespace", true) : Optional.empty();
            return all(iface, address) ? Optional.of(new TapConfig(iface.get(), ipLiteral(address.get()).get(),
                    namespace)) : Optional.empty();
        });
        Optional<AccessPointCapture> accessPoint = top.mapping("capture", CAPTURE, false)
                .flatMap(DeviceProfileLoader::accessPoint);
        Optional<Reset> reset = top.has("reset")
                ? top.string("reset", r -> checkReset(r, firmware)).map(DeviceProfileLoader::reset)
                : Optional.of(Reset.NONE);
        if (!problems.isEmpty()
                || !all(manufacturer, model, firmware, dialect, udid, systemPort, imei, phone, ca, reset)) {
            return Optional.empty();
        }
        return Optional.of(new DeviceProfile(name, source, manufacturer.get(), model.get(), firmware.get(),
                dialect.get(), udid.get(), systemPort.get(), imei.get(), phone.get(), ca.get(), virtual,
                build.get(), androidId, serial, wifiMac, precheck, server, tap, reset.get(),
                accessPoint));
    }

    /** Empty for {@code mode: proxy} (the default) and when a field is wrong (then a problem is recorded). */
    private static Optional<AccessPointCapture> accessPoint(YamlMapping c) {
        Optional<String> mode = c.choice("mode", CAPTURE_MODES);
        if (mode.isEmpty() || mode.get().equals("proxy")) {
            for (String key : List.of("interface", "address", "port")) {
                if (mode.isPresent() && c.has(key)) {
                    c.problemAt(key, "only for mode: access-point");
                }
            }
            return Optional.empty();
        }
        Optional<String> iface = c.string("interface", i -> i.matches("[A-Za-z0-9_.@-]{1,15}") ? null
                : "expected the access point's Wi-Fi interface name, like wlan0");
        Optional<String> address = c.string("address", a -> a.matches("(\\d{1,3}\\.){3}\\d{1,3}")
                && java.util.Arrays.stream(a.split("\\.")).allMatch(o -> Integer.parseInt(o) < 256) ? null
                : "expected the handset's IPv4 address on the access point's Wi-Fi, like 192.168.50.23");
        Optional<Integer> port = c.integer("port", 1024, 65535);
        return all(iface, address, port)
                ? Optional.of(new AccessPointCapture(iface.get(), address.get(), port.get())) : Optional.empty();
    }

    /** An IP literal, never a name: a profile must not make the run wait on DNS. */
    private static Optional<java.net.InetAddress> ipLiteral(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*")) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.net.InetAddress.getByName(text));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Reset reset(String yaml) {
        return Reset.valueOf(yaml.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** Test Harness Mode came with Android 10: on older firmware the command does not exist. */
    private static String checkReset(String value, Optional<Firmware> firmware) {
        if (Stream.of(Reset.values()).noneMatch(r -> r.yamlName().equals(value))) {
            return "expected one of none, test-harness";
        }
        if (value.equals(Reset.TEST_HARNESS.yamlName()) && firmware.isPresent()) {
            String android = firmware.get().android();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)").matcher(android);
            int major = m.lookingAt() ? Integer.parseInt(m.group(1)) : -1;
            if (major < Reset.TEST_HARNESS_SINCE_ANDROID) {
                return "test-harness needs Android " + Reset.TEST_HARNESS_SINCE_ANDROID
                        + " or later (cmd testharness); firmware.android is \"" + android + "\"";
            }
        }
        return null;
    }

    private static Optional<IdentifierRead> optionalIdentifier(YamlMapping ids, String key) {
        return ids.mapping(key, IDENTIFIER, false).flatMap(DeviceProfileLoader::read);
    }

    private static Optional<IdentifierRead> identifier(YamlMapping ids, String key) {
        return ids.mapping(key, IDENTIFIER, true).flatMap(DeviceProfileLoader::read);
    }

    private static Optional<IdentifierRead> read(YamlMapping m) {
        Optional<String> command = m.string("command", true);
        Optional<String> parse = m.string("parse", DeviceProfileLoader::checkParse);
        return all(command, parse) ? Optional.of(new IdentifierRead(command.get(), parse.get())) : Optional.empty();
    }

    private static String checkServer(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        return "expected the Appium server's URL, like http://10.0.0.7:4723";
    }

    /** The parse rules lab's IdentifierParser understands; anything else would only fail on the handset. */
    private static String checkParse(String parse) {
        if (parse.equals("parcel-utf16") || parse.equals("trim") || parse.equals("mac")
                || (parse.startsWith("line:") && !parse.substring(5).isBlank())) {
            return null;
        }
        return "expected one of line:<label>, parcel-utf16, trim, mac";
    }

    private static boolean all(Optional<?>... values) {
        for (Optional<?> v : values) {
            if (v.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Boolean> booleans() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("true", true);
        m.put("false", false);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, UiDialect> dialects() {
        Map<String, UiDialect> m = new LinkedHashMap<>();
        for (UiDialect d : UiDialect.values()) {
            m.put(d.name().toLowerCase(java.util.Locale.ROOT), d);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Set<String> ordered(String... keys) {
        // Ordered so "allowed here: ..." lists fields in the order profiles write them.
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(keys)));
    }

    private static Map<String, String> orderedMap(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            m.put(v, v);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
