package dev.consentry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ApRulesCommandTest {
    private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "--home";
        argv[1] = home.toString();
        argv[2] = "ap-rules";
        System.arraycopy(args, 0, argv, 3, args.length);
        return Consentry.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void profile(String name, String capture) throws Exception {
        Path dir = Files.createDirectories(home.resolve("device-profiles"));
        Files.writeString(dir.resolve(name + ".yaml"),
                Files.readString(PROJECT.resolve("device-profiles/" + name + ".yaml")) + capture);
    }

    @Test
    void printsOneRedirectPerAccessPointHandsetAndTheQuicRejection() throws Exception {
        profile("redmi-1s-miui5-2014", "capture: { mode: access-point, interface: wlan0, address: 192.168.50.23, "
                + "port: 8091 }\n");
        profile("pixel-8-android14", "");

        assertThat(run("--uplink", "eth0")).isEqualTo(0);

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "# Consentry access-point capture for redmi-1s-miui5-2014 (192.168.50.23 -> :8091)",
                "# Run as root on the access point's host; the transparent mitmdumps listen there.",
                "sysctl -w net.ipv4.ip_forward=1",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.23 -p tcp --dport 80 -j REDIRECT --to-ports 8091",
                "iptables -t nat -A PREROUTING -i wlan0 -s 192.168.50.23 -p tcp --dport 443 -j REDIRECT --to-ports 8091",
                "iptables -A FORWARD -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "iptables -A INPUT -i wlan0 -p udp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
                "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
                "ip6tables -A FORWARD -i wlan0 -j REJECT --reject-with icmp6-adm-prohibited");
    }

    @Test
    void withoutAccessPointProfilesItSaysWhatIsMissing() throws Exception {
        profile("pixel-8-android14", "");

        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no device profile has capture: { mode: access-point, interface, address, port }");
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --frobnicate");
    }
}
