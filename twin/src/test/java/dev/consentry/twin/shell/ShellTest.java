package dev.consentry.twin.shell;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.identity.Identity;
import dev.consentry.twin.log.TwinLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ShellTest {
    private static final String CA_DIR = "/data/misc/keychain/cacerts-added";
    private final Identity identity = Identity.derive("redmi1s-2014", Optional.empty(), Optional.empty());
    private final Settings settings = new Settings();
    private final VirtualFileSystem files = new VirtualFileSystem(Set.of(CA_DIR, "/sdcard"));
    private final ContactsProvider contacts = new ContactsProvider();
    private final TwinLog log = new TwinLog("redmi1s-2014", 50,
            Clock.fixed(Instant.parse("2014-08-10T09:30:00Z"), ZoneOffset.UTC));
    private final Shell shell = new Shell(identity,
            Map.of("ro.build.fingerprint", "Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH41.0:user/release-keys",
                    "ro.miui.ui.version.name", "V5", "ro.serialno", "redmi1s-2014"),
            Map.of("iphonesubinfo", Map.of(1, "device_id", 6, "line1_number")),
            settings, contacts, files,
            (component, action, data, type) -> component.filter("com.android.contacts/.activities.PeopleActivity"::equals),
            log);

    private String sh(String command, String... args) {
        return shell.run(command, List.of(args));
    }

    @Test
    void theShellUserCannotFakeASimInsertionWithABroadcast() {
        assertThat(sh("am", "broadcast", "-a", "android.intent.action.SIM_STATE_CHANGED", "--es", "ss", "LOADED"))
                .contains("java.lang.SecurityException: Permission Denial: not allowed to send broadcast "
                        + "android.intent.action.SIM_STATE_CHANGED from pid=")
                .contains("uid=2000").doesNotContain("Broadcast completed");
        assertThat(sh("am", "broadcast", "-a", "com.example.PING")).endsWith("Broadcast completed: result=0\n");
    }

    @Test
    void catPrintsAFileOrSaysWhyNot() {
        files.write("/sys/class/net/wlan0/address", "64:09:80:3a:b2:c1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(sh("cat", "/sys/class/net/wlan0/address")).isEqualTo("64:09:80:3a:b2:c1\n");
        assertThat(sh("cat", "/sys/class/net/eth9/address"))
                .isEqualTo("/sys/class/net/eth9/address: No such file or directory\n");
        assertThat(sh("cat", "/sdcard")).isEqualTo("/sdcard: Is a directory\n");
    }

    @Test
    void logcatDumpsTheHandsetsOwnLogTailAndRefusesToStream() {
        log.log("net", "POST http://api.account.xiaomi.com/pass/v3/cloudmsg/register via proxy 127.0.0.1:8080");
        sh("getprop", "ro.serialno");

        // The shell logs each command as it starts, logcat's own invocation included.
        assertThat(sh("logcat", "-d", "-v", "time", "-t", "3").lines().toList()).containsExactly(
                "09:30:00.000 redmi1s-2014 net: POST http://api.account.xiaomi.com/pass/v3/cloudmsg/register via proxy"
                        + " 127.0.0.1:8080",
                "09:30:00.000 redmi1s-2014 shell: getprop ro.serialno",
                "09:30:00.000 redmi1s-2014 shell: logcat -d -v time -t 3");
        assertThat(sh("logcat", "-d", "-t", "1")).isEqualTo("09:30:00.000 redmi1s-2014 shell: logcat -d -t 1\n");
        assertThat(sh("logcat")).contains("only dumps");
        assertThat(sh("logcat", "-d", "-t", "many")).contains("not a number");
    }

    @Test
    void globalProxyIsSetReadAndClearedAsOnAndroid() {
        assertThat(sh("settings", "get", "global", "http_proxy")).isEqualTo("null\n");
        assertThat(sh("settings", "put", "global", "http_proxy", "127.0.0.1:8080")).isEmpty();
        assertThat(sh("settings get global http_proxy")).isEqualTo("127.0.0.1:8080\n");
        sh("settings", "put", "global", "http_proxy", ":0");
        assertThat(sh("settings", "get", "global", "http_proxy")).isEqualTo(":0\n");
        assertThat(sh("settings", "get", "secure", "android_id")).isEqualTo("null\n");
        assertThat(sh("settings", "frobnicate")).startsWith("usage:");
    }

    @Test
    void getpropAnswersKnownKeysAndBlankForUnknown() {
        assertThat(sh("getprop", "ro.miui.ui.version.name")).isEqualTo("V5\n");
        assertThat(sh("getprop ro.build.fingerprint")).contains("JHCMIBH41.0");
        assertThat(sh("getprop", "no.such.key")).isEqualTo("\n");
        assertThat(sh("getprop")).contains("[ro.serialno]: [redmi1s-2014]");
    }

    @Test
    void dumpsysShowsTheImeiInAndroid44Format() {
        assertThat(sh("dumpsys", "iphonesubinfo")).isEqualTo(
                "Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = " + identity.imei() + "\n");
        assertThat(sh("dumpsys", "nothing")).isEqualTo("Can't find service: nothing\n");
    }

    @Test
    void serviceCallReturnsParcelsThatParseBackToTheValues() {
        String imeiParcel = sh("service", "call", "iphonesubinfo", "1");
        assertThat(imeiParcel).startsWith("Result: Parcel(\n  0x00000000: 00000000 0000000f ");
        assertThat(parseString16(imeiParcel)).isEqualTo(identity.imei());
        String phoneParcel = sh("service call iphonesubinfo 6");
        assertThat(parseString16(phoneParcel)).isEqualTo(identity.phoneNumber());
        assertThat(phoneParcel).contains("'........+.9.1.9.'");
        assertThat(sh("service", "call", "nosuch", "1")).contains("does not exist");
    }

    @Test
    void unknownCommandsAnswerLikeTheShell() {
        assertThat(sh("frob", "x")).isEqualTo("/system/bin/sh: frob: not found\n");
        assertThat(sh("cmd phone get-imei 0")).isEqualTo("/system/bin/sh: cmd: not found\n");
    }

    @Test
    void filesAreListedAndRemoved() {
        assertThat(sh("ls", CA_DIR)).isEmpty();
        files.write(CA_DIR + "/c8750f0d.0", "pem".getBytes(StandardCharsets.US_ASCII));
        assertThat(sh("ls", CA_DIR)).isEqualTo("c8750f0d.0\n");
        assertThat(sh("ls", "/data/misc/keychain")).isEqualTo("cacerts-added\n");
        assertThat(sh("ls", "/nope")).isEqualTo("/nope: No such file or directory\n");
        assertThat(sh("rm", CA_DIR + "/c8750f0d.0")).isEmpty();
        assertThat(sh("rm", CA_DIR + "/c8750f0d.0")).isEqualTo("rm failed for " + CA_DIR
                + "/c8750f0d.0, No such file or directory\n");
        assertThat(sh("rm", "-f", CA_DIR + "/c8750f0d.0")).isEmpty();
        assertThat(sh("ls", CA_DIR)).isEmpty();
    }

    @Test
    void contactsAreInsertedQueriedAndDeleted() {
        String raw = "content://com.android.contacts/raw_contacts";
        String data = "content://com.android.contacts/data";
        assertThat(sh("content", "query", "--uri", raw, "--projection", "_id")).isEqualTo("No result found.\n");
        sh("content", "insert", "--uri", raw, "--bind", "account_type:s:", "--bind", "account_name:s:");
        sh("content insert --uri " + raw + " --bind account_type:s: --bind account_name:s:");
        assertThat(sh("content", "query", "--uri", raw, "--projection", "_id")).isEqualTo(
                "Row: 0 _id=1\nRow: 1 _id=2\n");
        sh("content", "insert", "--uri", data, "--bind", "raw_contact_id:i:2", "--bind",
                "mimetype:s:vnd.android.cursor.item/name", "--bind", "data1:s:Canary Asha 4242");
        sh("content", "insert", "--uri", data, "--bind", "raw_contact_id:i:2", "--bind",
                "mimetype:s:vnd.android.cursor.item/phone_v2", "--bind", "data1:s:+919812345678", "--bind", "data2:i:2");
        assertThat(contacts.contacts()).extracting(c -> c.name() + "|" + c.phones())
                .containsExactly("|[]", "Canary Asha 4242|[+919812345678]");
        assertThat(sh("content", "query", "--uri", data, "--projection", "data1", "--where", "raw_contact_id=2"))
                .isEqualTo("Row: 0 data1=Canary Asha 4242\nRow: 1 data1=+919812345678\n");

        sh("content delete --uri " + raw + " --where \"_id=2\"");
        assertThat(sh("content", "query", "--uri", raw, "--projection", "_id")).isEqualTo("Row: 0 _id=1\n");
        assertThat(sh("content", "query", "--uri", data)).isEqualTo("No result found.\n");
        sh("content", "delete", "--uri", raw, "--where", "_id='1'");
        assertThat(sh("content", "query", "--uri", raw, "--projection", "_id")).isEqualTo("No result found.\n");
        // Ids are not reused, as with SQLite AUTOINCREMENT.
        sh("content", "insert", "--uri", raw, "--bind", "account_type:s:", "--bind", "account_name:s:");
        assertThat(sh("content", "query", "--uri", raw, "--projection", "_id")).isEqualTo("Row: 0 _id=3\n");
        assertThat(sh("content", "query", "--uri", "content://sms/inbox")).contains("Unknown URL");
    }

    /** Independent reading of a Parcel dump: status word, String16 length, UTF-16 units two per LE word. */
    private static String parseString16(String dump) {
        List<Long> words = new ArrayList<>();
        Matcher rows = Pattern.compile("0x[0-9a-f]+:((?:\\s+[0-9a-f]{8})+)").matcher(dump);
        while (rows.find()) {
            for (String w : rows.group(1).trim().split("\\s+")) {
                words.add(Long.parseLong(w, 16));
            }
        }
        assertThat(words.get(0)).isZero();
        int length = words.get(1).intValue();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            long w = words.get(2 + i / 2);
            s.append((char) (i % 2 == 0 ? w & 0xffff : w >>> 16));
        }
        return s.toString();
    }
}
