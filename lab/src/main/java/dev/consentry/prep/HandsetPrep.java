package dev.consentry.prep;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.canary.CanaryKind;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.IdentifierRead;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares a handset for a flow over {@code mobile: shell} (proxy, lab CA, identifiers, canary contacts) and puts it
 * back afterwards. The same commands run on a lab handset and on a virtual one.
 */
public final class HandsetPrep {
    private static final String RAW_CONTACTS = "content://com.android.contacts/raw_contacts";
    private static final String DATA = "content://com.android.contacts/data";
    private static final Pattern ROW_ID = Pattern.compile("_id=(\\d+)");

    private final Shell shell;
    private final DeviceFiles files;
    private final DeviceProfile profile;

    public HandsetPrep(Shell shell, DeviceFiles files, DeviceProfile profile) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.files = Objects.requireNonNull(files, "files");
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    /** Where flows put files they open (a downloaded vCard); cleanup removes whatever the run added here. */
    public static final String DOWNLOADS = "/sdcard/Download";

    public PreparedHandset prepare(PrepPlan plan) {
        precheck();
        HandsetState before = state();
        String fingerprint = shell.run("getprop", "ro.build.fingerprint").trim();
        setProxy(plan.proxy());
        String caPath = installCa(plan);
        List<Canary> canaries = new ArrayList<>(readIdentifiers());
        List<Long> ids = new ArrayList<>();
        for (CanaryContact c : plan.contacts()) {
            ids.add(plantContact(c));
            canaries.add(new Canary(CanaryKind.CONTACT_PHONE, c.phone(), "planted contact " + c.name()));
            canaries.add(new Canary(CanaryKind.CONTACT_NAME, c.name(), "planted contact"));
        }
        return new PreparedHandset(canaries, ids, caPath, fingerprint, before);
    }

    /**
     * The profile's precheck, e.g. MIUI's "USB debugging (Security settings)": without it MIUI drops Appium's taps
     * and every flow would fail for a reason that has nothing to do with privacy. One getprop: cheap enough to repeat
     * before each flow, which catches the setting turned off between flows.
     */
    void precheck() {
        precheck(shell, profile);
    }

    /**
     * The same check on its own, as the suite runs it once per handset before any flow.
     *
     * @throws PrepException with the profile's problem, what the command printed and {@code <profile>: precheck}
     */
    public static void precheck(Shell shell, DeviceProfile profile) {
        profile.precheck().ifPresent(c -> {
            String[] words = c.command().trim().split("\\s+");
            String out = shell.run(words[0], java.util.Arrays.copyOfRange(words, 1, words.length)).trim();
            if (!out.equals(c.expect())) {
                throw new PrepException(c.problem() + " (`" + c.command() + "` printed '" + out + "', expected '"
                        + c.expect() + "'; " + profile.source() + ": precheck)");
            }
        });
    }

    /** What the run may change, as the handset reports it now. */
    public HandsetState state() {
        String proxy = HandsetState.normaliseProxy(shell.run("settings", "get", "global", "http_proxy"));
        return new HandsetState(proxy, listing(profile.ca().directory()), rawContactIds(), listing(DOWNLOADS));
    }

    private Set<String> listing(String dir) {
        Set<String> names = new TreeSet<>();
        for (String line : shell.run("ls", dir).split("\n")) {
            String n = line.trim();
            if (!n.isEmpty() && !n.contains("No such file or directory")) {
                names.add(n);
            }
        }
        return names;
    }

    void setProxy(String hostPort) {
        shell.run("settings", "put", "global", "http_proxy", hostPort);
        String now = shell.run("settings", "get", "global", "http_proxy").trim();
        if (!now.equals(hostPort)) {
            throw new PrepException("set the global proxy to " + hostPort + " but the handset reports '" + now + "'");
        }
    }

    String installCa(PrepPlan plan) {
        String path = profile.ca().directory() + "/" + plan.caFileName();
        files.push(path, plan.caPem().getBytes(StandardCharsets.US_ASCII));
        String listing = shell.run("ls", profile.ca().directory());
        if (!listing.contains(plan.caFileName())) {
            throw new PrepException("pushed the lab CA to " + path + " but `ls " + profile.ca().directory()
                    + "` does not show it: " + listing.strip());
        }
        return path;
    }

    List<Canary> readIdentifiers() {
        List<Canary> out = new ArrayList<>();
        out.add(read(CanaryKind.IMEI, profile.imei(), true));
        Canary phone = read(CanaryKind.PHONE_NUMBER, profile.phoneNumber(), false);
        if (phone != null) {
            out.add(phone);
        }
        profile.androidId().map(how -> read(CanaryKind.ANDROID_ID, how, false)).ifPresent(out::add);
        profile.serial().map(how -> read(CanaryKind.SERIAL, how, false)).ifPresent(out::add);
        profile.wifiMac().map(how -> read(CanaryKind.WIFI_MAC, how, false)).ifPresent(out::add);
        return out;
    }

    /** The IMEI is required: without it the test cannot look for the leak it exists to catch. */
    private Canary read(CanaryKind kind, IdentifierRead how, boolean required) {
        String[] words = how.command().trim().split("\\s+");
        String output = shell.run(words[0], java.util.Arrays.copyOfRange(words, 1, words.length));
        var value = IdentifierParser.parse(how, output);
        if (value.isEmpty() && required) {
            throw new PrepException("could not read " + kind.id() + " with `" + how.command() + "` (parse "
                    + how.parse() + ", from " + profile.source() + "); the handset printed: " + output.strip());
        }
        if (value.isEmpty()) {
            return null;
        }
        Canary read = new Canary(kind, value.get(), "read: " + how.command());
        try {
            CanaryForms.of(read);
        } catch (IllegalArgumentException e) {
            // Searched for, such a value would match nothing (or everything): refused here, where the command and
            // what the handset printed can still be named, not later inside the leak engine.
            throw new PrepException("read " + kind.id() + " with `" + how.command() + "` (parse " + how.parse()
                    + ", from " + profile.source() + "), but " + e.getMessage() + "; the handset printed: "
                    + output.strip());
        }
        return read;
    }

    long plantContact(CanaryContact contact) {
        Set<Long> before = rawContactIds();
        shell.run("content", "insert", "--uri", RAW_CONTACTS, "--bind", "account_type:s:", "--bind", "account_name:s:");
        Set<Long> after = rawContactIds();
        after.removeAll(before);
        if (after.size() != 1) {
            throw new PrepException("inserting a raw contact for " + contact.name() + " added " + after.size()
                    + " rows to " + RAW_CONTACTS + ", expected 1");
        }
        long id = after.iterator().next();
        insertData(id, "vnd.android.cursor.item/name", contact.name(), null);
        insertData(id, "vnd.android.cursor.item/phone_v2", contact.phone(), 2 /* TYPE_MOBILE */);
        return id;
    }

    private void insertData(long rawId, String mimetype, String value, Integer type) {
        List<String> args = new ArrayList<>(List.of("insert", "--uri", DATA, "--bind", "raw_contact_id:i:" + rawId,
                "--bind", "mimetype:s:" + mimetype, "--bind", "data1:s:" + value));
        if (type != null) {
            args.add("--bind");
            args.add("data2:i:" + type);
        }
        shell.run("content", args.toArray(String[]::new));
    }

    Set<Long> rawContactIds() {
        String out = shell.run("content", "query", "--uri", RAW_CONTACTS, "--projection", "_id");
        Set<Long> ids = new TreeSet<>();
        Matcher m = ROW_ID.matcher(out);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    /**
     * Undoes {@link #prepare} and whatever the flow added: puts the proxy back, removes the CA, every raw contact and
     * every download that was not there before, then reads the handset again and reports each difference from how it
     * was. Every step is attempted even when an earlier one fails, so one stuck setting does not leave the rest.
     */
    public RestoreReport restore(PreparedHandset prepared) {
        HandsetState before = prepared.before();
        List<String> leftovers = new ArrayList<>();
        attempt(leftovers, "restore proxy", () -> shell.run("settings", "put", "global", "http_proxy",
                before.proxy().isEmpty() ? ":0" : before.proxy()));
        attempt(leftovers, "remove CA", () -> shell.run("rm", "-f", prepared.caRemotePath()));
        attempt(leftovers, "delete contacts", () -> {
            Set<Long> added = rawContactIds();
            added.removeAll(before.rawContactIds());
            for (long id : added) {
                shell.run("content", "delete", "--uri", RAW_CONTACTS, "--where", "_id=" + id);
            }
            return "";
        });
        attempt(leftovers, "remove downloads", () -> {
            Set<String> added = listing(DOWNLOADS);
            added.removeAll(before.downloads());
            for (String name : added) {
                shell.run("rm", "-f", DOWNLOADS + "/" + name);
            }
            return "";
        });
        attempt(leftovers, "verify", () -> {
            leftovers.addAll(state().differencesFrom(before));
            return "";
        });
        return new RestoreReport(leftovers);
    }

    private static void attempt(List<String> leftovers, String what, java.util.function.Supplier<String> step) {
        try {
            step.get();
        } catch (RuntimeException e) {
            leftovers.add(what + " failed: " + e.getMessage());
        }
    }
}
