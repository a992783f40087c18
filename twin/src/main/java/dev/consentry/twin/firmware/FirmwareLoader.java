package dev.consentry.twin.firmware;

import dev.consentry.twin.firmware.ControlSpec.ControlAction;
import dev.consentry.twin.firmware.ControlSpec.ControlType;
import dev.consentry.twin.firmware.TrafficRule.Transport;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads firmware YAML (bundled under {@code firmware/<name>.yaml}) into a validated {@link Firmware}. */
public final class FirmwareLoader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]+");
    /** What a WebSocket client sets itself (and java.net.http refuses to take from a caller). */
    private static final Pattern HANDSHAKE_HEADER = Pattern.compile(
            "(?i)connection|upgrade|host|content-length|expect|transfer-encoding|sec-websocket-.*");
    /** SHA-256 is 32 bytes: 43 base64 characters and one '=' of padding. */
    private static final Pattern PIN = Pattern.compile("sha256/[A-Za-z0-9+/]{43}=");

    private FirmwareLoader() {
    }

    /** A firmware bundled with the twin, by name (e.g. "redmi-1s-miui5-2014"). */
    public static Firmware bundled(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new FirmwareException("not a firmware name: '" + name + "'");
        }
        String resource = "firmware/" + name + ".yaml";
        try (InputStream in = FirmwareLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new FirmwareException("no bundled firmware '" + name + "' (looked for classpath:" + resource + ")");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FirmwareException("cannot read classpath:" + resource, e);
        }
    }

    public static Firmware parse(String file, String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            throw new FirmwareException(file + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem(), e);
        }
        if (root == null) {
            throw new FirmwareException(file + ": empty firmware file");
        }
        return firmware(new YamlNode(file, "", root));
    }

    private static Firmware firmware(YamlNode doc) {
        Map<String, YamlNode> m = doc.entries();
        doc.allowOnly(m, "name", "device", "properties", "serviceCalls", "settings", "setupWizard", "home", "apps",
                "traffic");
        String name = doc.required(m, "name").string();
        DeviceSpec device = device(doc.required(m, "device"));
        Map<String, String> props = new LinkedHashMap<>();
        YamlNode.optional(m, "properties").ifPresent(p -> p.entries().forEach((k, v) -> props.put(k, v.string())));
        Map<String, Map<Integer, String>> calls = new LinkedHashMap<>();
        YamlNode.optional(m, "serviceCalls").ifPresent(s -> s.entries().forEach((service, codes) -> {
            Map<Integer, String> byCode = new LinkedHashMap<>();
            codes.entries().forEach((code, what) -> {
                String v = what.string();
                if (!v.equals("device_id") && !v.equals("line1_number")) {
                    throw what.error("unknown value '" + v + "' (use device_id or line1_number)");
                }
                try {
                    byCode.put(Integer.parseInt(code), v);
                } catch (NumberFormatException e) {
                    throw what.error("transaction code '" + code + "' is not a number");
                }
            });
            calls.put(service, byCode);
        }));
        WizardSpec wizard = wizard(doc.required(m, "setupWizard"));
        HomeSpec home = home(doc.required(m, "home"));
        Map<String, Map<String, String>> defaults = settingDefaults(YamlNode.optional(m, "settings"));
        Set<String> screens = new HashSet<>();
        Set<String> settings = new HashSet<>();
        wizard.screens().forEach(s -> {
            screens.add(s.id());
            s.controls().forEach(c -> c.setting().ifPresent(settings::add));
        });
        screens.add("home");
        List<AppScreenSpec> apps = new ArrayList<>();
        YamlNode.optional(m, "apps").ifPresent(a -> a.items().forEach(n -> {
            AppScreenSpec app = app(n);
            if (!screens.add(app.id())) {
                throw n.error("screen id '" + app.id() + "' is used twice (or is the reserved 'home')");
            }
            app.screen().controls().forEach(c -> c.setting().ifPresent(settings::add));
            apps.add(app);
        }));
        defaults.values().forEach(ns -> settings.addAll(ns.keySet()));
        settings.add("device_provisioned");
        List<TrafficRule> rules = new ArrayList<>();
        YamlNode.optional(m, "traffic").ifPresent(t -> t.items().forEach(r -> rules.add(rule(r, screens, settings))));
        return new Firmware(name, device, props, calls, wizard, home, rules, defaults, apps);
    }

    private static Map<String, Map<String, String>> settingDefaults(Optional<YamlNode> node) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        node.ifPresent(n -> n.entries().forEach((namespace, values) -> {
            if (!List.of("secure", "global", "system").contains(namespace)) {
                throw values.error("unknown settings namespace (use secure, global or system)");
            }
            Map<String, String> v = new LinkedHashMap<>();
            values.entries().forEach((k, val) -> v.put(k, val.string()));
            out.put(namespace, v);
        }));
        return out;
    }

    private static AppScreenSpec app(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "id", "package", "activity", "dialog", "view", "listContacts", "title", "text", "controls");
        ScreenSpec screen = screen(n, m, Set.of(ControlAction.NONE, ControlAction.BACK, ControlAction.IMPORT_VCARD));
        String pkg = n.required(m, "package").string();
        if (!pkg.matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+")) {
            throw m.get("package").error("expected a Java package name, got '" + pkg + "'");
        }
        String activity = n.required(m, "activity").string();
        return new AppScreenSpec(screen, pkg, activity,
                YamlNode.optional(m, "dialog").map(YamlNode::bool).orElse(false),
                YamlNode.optional(m, "view").map(YamlNode::string),
                YamlNode.optional(m, "listContacts").map(YamlNode::bool).orElse(false));
    }

    private static DeviceSpec device(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "manufacturer", "model", "screen", "caDirectory");
        YamlNode screen = n.required(m, "screen");
        Map<String, YamlNode> s = screen.entries();
        screen.allowOnly(s, "width", "height", "density");
        String ca = n.required(m, "caDirectory").string();
        if (!ca.startsWith("/")) {
            throw m.get("caDirectory").error("must be an absolute path on the handset");
        }
        return new DeviceSpec(n.required(m, "manufacturer").string(), n.required(m, "model").string(),
                positive(screen.required(s, "width")), positive(screen.required(s, "height")),
                positive(screen.required(s, "density")), ca);
    }

    private static WizardSpec wizard(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "package", "screens");
        List<ScreenSpec> screens = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode s : n.required(m, "screens").items()) {
            Map<String, YamlNode> sm = s.entries();
            s.allowOnly(sm, "id", "title", "text", "controls");
            ScreenSpec spec = screen(s, sm, Set.of(ControlAction.NONE, ControlAction.NEXT, ControlAction.FINISH));
            if (!ids.add(spec.id()) || spec.id().equals("home")) {
                throw s.error("screen id '" + spec.id() + "' is used twice (or is the reserved 'home')");
            }
            screens.add(spec);
        }
        if (screens.isEmpty()) {
            throw n.error("the wizard needs at least one screen");
        }
        if (screens.get(screens.size() - 1).controls().stream().noneMatch(c -> c.action() == ControlAction.FINISH)) {
            throw n.error("the last screen needs a control with action: finish, or the wizard never ends");
        }
        return new WizardSpec(n.required(m, "package").string(), screens);
    }

    private static ScreenSpec screen(YamlNode n, Map<String, YamlNode> m, Set<ControlAction> actions) {
        List<ControlSpec> controls = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode c : n.required(m, "controls").items()) {
            ControlSpec spec = control(c);
            if (!actions.contains(spec.action())) {
                throw c.error("action '" + spec.action().name().toLowerCase(Locale.ROOT) + "' is not for this kind"
                        + " of screen (allowed: " + actions.stream().map(a -> a.name().toLowerCase(Locale.ROOT))
                        .sorted().toList() + ")");
            }
            if (!ids.add(spec.id())) {
                throw c.error("control id '" + spec.id() + "' is used twice on this screen");
            }
            controls.add(spec);
        }
        return new ScreenSpec(n.required(m, "id").string(), n.required(m, "title").string(),
                YamlNode.optional(m, "text").map(YamlNode::string).orElse(""), controls);
    }

    private static ControlSpec control(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "type", "id", "text", "checked", "setting", "action");
        YamlNode typeNode = n.required(m, "type");
        ControlType type = enumValue(typeNode, ControlType.class);
        ControlAction action = YamlNode.optional(m, "action").map(a -> enumValue(a, ControlAction.class))
                .orElse(ControlAction.NONE);
        if (type != ControlType.BUTTON && action != ControlAction.NONE) {
            throw m.get("action").error("a " + type.name().toLowerCase(Locale.ROOT)
                    + " toggles; only buttons have an action");
        }
        if (type == ControlType.BUTTON && (m.containsKey("checked") || m.containsKey("setting"))) {
            throw n.error("'checked' and 'setting' belong to checkboxes and switches");
        }
        String id = n.required(m, "id").string();
        if (!id.matches("[a-z0-9_]+")) {
            throw m.get("id").error("resource id name must be [a-z0-9_]+, got '" + id + "'");
        }
        return new ControlSpec(type, id, n.required(m, "text").string(),
                YamlNode.optional(m, "checked").map(YamlNode::bool).orElse(false),
                YamlNode.optional(m, "setting").map(YamlNode::string), action);
    }

    private static HomeSpec home(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "package", "apps");
        List<String> apps = YamlNode.optional(m, "apps").map(a -> a.items().stream().map(YamlNode::string).toList())
                .orElse(List.of());
        return new HomeSpec(n.required(m, "package").string(), apps);
    }

    private static TrafficRule rule(YamlNode n, Set<String> screens, Set<String> settings) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "name", "on", "when", "delay", "transport", "method", "host", "port", "path", "headers",
                "body", "pins");
        List<Trigger> triggers = new ArrayList<>();
        for (YamlNode t : n.required(m, "on").items()) {
            triggers.add(trigger(t, screens, settings));
        }
        if (triggers.isEmpty()) {
            throw m.get("on").error("a rule needs at least one trigger");
        }
        Transport transport = transport(n.required(m, "transport"));
        String method = n.required(m, "method").string();
        if (!METHOD.matcher(method).matches()) {
            throw m.get("method").error("HTTP method must be upper case letters, got '" + method + "'");
        }
        String host = n.required(m, "host").string();
        if (!HOST.matcher(host).matches()) {
            throw m.get("host").error("expected a DNS host name, got '" + host + "'");
        }
        int port = YamlNode.optional(m, "port").map(FirmwareLoader::positive)
                .orElse(transport.defaultPort());
        String path = template(n.required(m, "path"));
        if (!path.startsWith("/")) {
            throw m.get("path").error("must start with '/'");
        }
        if (transport.webSocket() && !method.equals("GET")) {
            throw m.get("method").error("a WebSocket opens with GET (RFC 6455 4.1), not " + method);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        YamlNode.optional(m, "headers").ifPresent(h -> h.entries().forEach((k, v) -> {
            if (transport.webSocket() && HANDSHAKE_HEADER.matcher(k).matches()) {
                throw v.error("header '" + k + "' is the WebSocket handshake's own: the handset's stack writes it");
            }
            headers.put(k, template(v));
        }));
        Optional<BodySpec> body = YamlNode.optional(m, "body").map(FirmwareLoader::body);
        List<Condition> when = new ArrayList<>();
        YamlNode.optional(m, "when").ifPresent(w -> w.items().forEach(c -> when.add(condition(c, settings))));
        return new TrafficRule(n.required(m, "name").string(), triggers,
                YamlNode.optional(m, "delay").map(FirmwareLoader::duration).orElse(Duration.ZERO), transport, method,
                host, port, path, headers, body, when, pins(n, m, transport));
    }

    private static Transport transport(YamlNode n) {
        String v = n.string().trim();
        for (Transport t : Transport.values()) {
            if (t.yamlName().equals(v)) {
                return t;
            }
        }
        throw n.error("unknown value '" + v + "' (use one of "
                + Arrays.stream(Transport.values()).map(Transport::yamlName).toList() + ")");
    }

    /** A pin is only meaningful for https-pinned, and https-pinned without one would pin nothing. */
    private static List<String> pins(YamlNode rule, Map<String, YamlNode> m, Transport transport) {
        Optional<YamlNode> node = YamlNode.optional(m, "pins");
        if (transport != Transport.HTTPS_PINNED) {
            if (node.isPresent()) {
                throw node.get().error("pins belong to transport https-pinned, not " + transport.yamlName());
            }
            return List.of();
        }
        if (node.isEmpty()) {
            throw rule.error("transport https-pinned needs 'pins' (sha256/<base64 of the key's SHA-256>)");
        }
        List<String> pins = new ArrayList<>();
        for (YamlNode p : node.get().items()) {
            String v = p.string().trim();
            if (!PIN.matcher(v).matches()) {
                throw p.error("expected sha256/<base64 of 32 bytes>, got '" + v + "'");
            }
            pins.add(v);
        }
        if (pins.isEmpty()) {
            throw node.get().error("at least one pin is needed");
        }
        return pins;
    }

    private static Condition condition(YamlNode n, Set<String> settings) {
        Matcher mt = Pattern.compile("([a-z0-9_]+)=(on|off)").matcher(n.string().trim());
        if (!mt.matches()) {
            throw n.error("expected <setting>=on|off, got '" + n.string() + "'");
        }
        if (!settings.contains(mt.group(1))) {
            throw n.error("no control or default sets '" + mt.group(1) + "' (settings: " + new java.util.TreeSet<>(settings)
                    + ")");
        }
        return new Condition(mt.group(1), mt.group(2).equals("on"));
    }

    private static BodySpec body(YamlNode n) {
        Map<String, YamlNode> m = n.entries();
        n.allowOnly(m, "format", "gzip", "fields");
        BodySpec.Format format = enumValue(n.required(m, "format"), BodySpec.Format.class);
        List<BodySpec.Field> fields = new ArrayList<>();
        n.required(m, "fields").entries().forEach((name, v) -> {
            if (v.isMapping()) {
                Map<String, YamlNode> f = v.entries();
                v.allowOnly(f, "value", "encode");
                List<BodySpec.Encode> encodes = YamlNode.optional(f, "encode").map(FirmwareLoader::encodes)
                        .orElse(List.of());
                fields.add(new BodySpec.Field(name, template(v.required(f, "value")), encodes));
            } else {
                fields.add(new BodySpec.Field(name, template(v), List.of()));
            }
            if (format == BodySpec.Format.PROTOBUF && !name.matches("[1-9][0-9]{0,8}")) {
                // The wire format numbers fields; a name would be silently dropped by any real decoder.
                throw v.error("protobuf field '" + name + "' must be a field number (1, 2, ...)");
            }
        });
        return new BodySpec(format, fields, YamlNode.optional(m, "gzip").map(YamlNode::bool).orElse(false));
    }

    /** {@code encode: base64} or {@code encode: [sha256, prefix128]}: steps applied in order. */
    private static List<BodySpec.Encode> encodes(YamlNode n) {
        List<BodySpec.Encode> steps = new ArrayList<>();
        for (YamlNode step : n.isSequence() ? n.items() : List.of(n)) {
            BodySpec.Encode e = enumValue(step, BodySpec.Encode.class);
            if (e == BodySpec.Encode.PREFIX128 && (steps.isEmpty() || !steps.get(steps.size() - 1).givesRawBytes())) {
                throw step.error("prefix128 keeps the first 16 bytes of a digest: put it after md5, sha1, sha256 or sha512");
            }
            if (e != BodySpec.Encode.NONE) {
                steps.add(e);
            }
        }
        return steps;
    }

    private static Trigger trigger(YamlNode n, Set<String> screens, Set<String> settings) {
        String t = n.string().trim();
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        String arg = colon < 0 ? "" : t.substring(colon + 1).trim();
        switch (kind) {
            case "boot":
                return new Trigger.Boot();
            case "setup_complete":
                return new Trigger.SetupComplete();
            case "contacts_changed":
                return new Trigger.ContactsChanged();
            case "sim_inserted":
                return new Trigger.SimInserted();
            case "screen_entered":
                if (!screens.contains(arg)) {
                    throw n.error("screen_entered names unknown screen '" + arg + "' (screens: " + screens + ")");
                }
                return new Trigger.ScreenEntered(arg);
            case "toggle": {
                Matcher mt = Pattern.compile("([a-z0-9_]+)=(on|off)").matcher(arg);
                if (!mt.matches()) {
                    throw n.error("expected toggle:<setting>=on|off, got '" + t + "'");
                }
                if (!settings.contains(mt.group(1))) {
                    throw n.error("no checkbox, switch or default sets '" + mt.group(1) + "' (settings: " + settings + ")");
                }
                return new Trigger.Toggle(mt.group(1), mt.group(2).equals("on"));
            }
            case "idle_every":
                try {
                    int seconds = Integer.parseInt(arg);
                    if (seconds <= 0) {
                        throw n.error("idle_every needs a positive number of seconds");
                    }
                    return new Trigger.IdleEvery(Duration.ofSeconds(seconds));
                } catch (NumberFormatException e) {
                    throw n.error("expected idle_every:<seconds>, got '" + t + "'");
                }
            default:
                throw n.error("unknown trigger '" + t
                        + "' (use boot, screen_entered:<screen>, setup_complete, toggle:<setting>=on|off, contacts_changed, "
                        + "sim_inserted, idle_every:<seconds>)");
        }
    }

    private static String template(YamlNode n) {
        String v = n.string();
        List<String> bad = Placeholders.unknown(v);
        if (!bad.isEmpty()) {
            throw n.error("unknown placeholder(s) " + bad + " (known: " + Placeholders.NAMES + ", prop:<key>)");
        }
        return v;
    }

    private static Duration duration(YamlNode n) {
        Matcher m = DURATION.matcher(n.string().trim());
        if (!m.matches()) {
            throw n.error("expected a duration like 500ms, 2s or 1m, got '" + n.string() + "'");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            default -> Duration.ofMinutes(v);
        };
    }

    private static int positive(YamlNode n) {
        int v = n.integer();
        if (v <= 0) {
            throw n.error("must be positive, got " + v);
        }
        return v;
    }

    private static <E extends Enum<E>> E enumValue(YamlNode n, Class<E> type) {
        String v = n.string().trim();
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw n.error("unknown value '" + v + "' (use one of " + names + ")");
        }
    }
}
