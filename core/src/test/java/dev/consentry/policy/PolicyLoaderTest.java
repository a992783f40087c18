package dev.consentry.policy;

import dev.consentry.canary.CanaryKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyLoaderTest {
    private static final Path POLICIES = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("policies");

    private static final String GOOD = """
            categories:
              device_identifier: [imei, serial]
              contacts: [contact_phone]
            destinations:
              xiaomi:
                party: vendor
                hosts: ["*.xiaomi.com", xiaomi.com]
              google:
                party: platform
                hosts: ["*.googleapis.com"]
                opaqueExempt: true
            purposes: [contact_upload]
            rules:
              cloud_messaging:
                vendor: [device_identifier, contacts]
              contact_upload:
                platform: contacts
            necessary:
              time: [time.android.com]
            """;

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void readsCategoriesDestinationsRulesAndDefaults() throws IOException {
        Policy p = PolicyLoader.load(write("lab.yaml", GOOD));
        assertThat(p.name()).isEqualTo("lab");
        assertThat(p.categoryOf(CanaryKind.SERIAL)).get().extracting(Category::id).isEqualTo("device_identifier");
        assertThat(p.categoryOf(CanaryKind.LOCATION)).isEmpty();
        assertThat(p.destinationOf("API.Account.Xiaomi.com")).get().extracting(Destination::party)
                .isEqualTo(Party.VENDOR);
        assertThat(p.destinationOf("xiaomi.com")).isPresent();
        assertThat(p.destinationOf("notxiaomi.com")).isEmpty();
        assertThat(p.destinationOf("android.googleapis.com")).get().extracting(Destination::opaqueExempt)
                .isEqualTo(true);
        assertThat(p.rulesFor("contacts", Party.PLATFORM)).singleElement().satisfies(r -> {
            assertThat(r.purpose()).isEqualTo("contact_upload");
            assertThat(r.where()).isEqualTo(dir.resolve("lab.yaml") + ":17 rules.contact_upload.platform");
        });
        assertThat(p.purposes()).contains("cloud_messaging", "diagnostics", "contact_upload");
        assertThat(p.forbidCleartext()).as("cleartext forbidden unless the file says otherwise").isTrue();
        assertThat(p.necessaryFor("time.android.com")).isPresent();
    }

    @Test
    void alwaysCanBeEmptiedButNotMisspelt() throws IOException {
        assertThat(PolicyLoader.load(write("a.yaml", GOOD + "always: []\n")).forbidCleartext()).isFalse();
        assertThatThrownBy(() -> PolicyLoader.load(write("b.yaml", GOOD + "always: [cleartxt]\n")))
                .hasMessage(dir.resolve("b.yaml") + ":20:10: always[0]: expected one of cleartext, got \"cleartxt\"");
    }

    @Test
    void everyMistakeOfAFileIsReportedWithLineAndField() throws IOException {
        Path f = write("broken.yaml", """
                categories:
                  device_identifier: [imei, dna]
                  phone: [phone_number, imei]
                destinations:
                  xiaomi:
                    party: vendr
                    hosts: ["*.xiaomi.com", "http://x.com/"]
                  google: { party: platform }
                rules:
                  cloud_mesaging:
                    vendor: [device_identifier]
                  diagnostics:
                    vendors: [device_identifier]
                    vendor: [identifiers]
                colour: blue
                """);
        assertThatThrownBy(() -> PolicyLoader.load(f)).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.problems()).containsExactly(
                        f + ":2:29: categories.device_identifier[1]: unknown canary kind \"dna\"; known: imei, imsi,"
                                + " iccid, phone_number, contact_phone, contact_email, contact_name, android_id,"
                                + " serial, wifi_mac, advertising_id, account_email, location",
                        f + ":3:25: categories.phone[1]: imei is already in category device_identifier: a kind"
                                + " belongs to one category",
                        f + ":6:12: destinations.xiaomi.party: expected one of vendor, platform, third_party, got"
                                + " \"vendr\"",
                        f + ":7:29: destinations.xiaomi.hosts[1]: expected a host name or *.domain (letters, digits,"
                                + " '-', '.'), got \"http://x.com/\"",
                        f + ":8:11: destinations.google.hosts: required field missing",
                        f + ":11:5: rules.cloud_mesaging: unknown purpose \"cloud_mesaging\"; known: cloud_sync,"
                                + " cloud_messaging, diagnostics, personalized_ads, location, backup, find_device"
                                + " (declare new ones under purposes:)",
                        f + ":13:14: rules.diagnostics.vendors: unknown party \"vendors\"; expected one of vendor,"
                                + " platform, third_party",
                        f + ":14:14: rules.diagnostics.vendor[0]: unknown category \"identifiers\"; defined:"
                                + " device_identifier, phone",
                        f + ":15:1: colour: unknown field; allowed here: description, purposes, categories,"
                                + " destinations, rules, always, necessary"));
    }

    @Test
    void missingSectionsAndWrongShapesAreNamed() throws IOException {
        Path f = write("thin.yaml", "categories: [imei]\nrules: {}\n");
        assertThatThrownBy(() -> PolicyLoader.load(f)).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.problems()).containsExactly(
                        f + ":1:1: destinations: required field missing",
                        f + ":1:13: categories: expected a mapping, got a list"));
    }

    @Test
    void invalidYamlEmptyFilesAndWrongNamesAreRefused() throws IOException {
        Path bad = write("bad.yaml", "rules:\n  a: [b\n");
        assertThatThrownBy(() -> PolicyLoader.load(bad)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(bad + ":3:1: not valid YAML");
        Path empty = write("empty.yaml", "");
        assertThatThrownBy(() -> PolicyLoader.load(empty))
                .hasMessage(empty + ": empty file, expected a policy mapping");
        Path txt = write("policy.txt", GOOD);
        assertThatThrownBy(() -> PolicyLoader.load(txt)).hasMessage(txt + ": a policy is a <name>.yaml file");
        assertThatThrownBy(() -> PolicyLoader.load(dir, "nope")).hasMessage(dir.resolve("nope.yaml")
                + ": no such policy file");
    }

    @Test
    void theShippedDefaultPolicyLoadsAndCoversEveryCanaryKind() {
        Policy p = PolicyLoader.load(POLICIES, "default");
        for (CanaryKind k : CanaryKind.values()) {
            assertThat(p.categoryOf(k)).as(k.id()).isPresent();
        }
        assertThat(p.destinationOf("api.account.xiaomi.com")).get().extracting(Destination::party)
                .isEqualTo(Party.VENDOR);
        assertThat(p.rulesFor("device_identifier", Party.VENDOR)).extracting(Rule::purpose)
                .contains("cloud_messaging");
        assertThat(p.forbidCleartext()).isTrue();
    }
}
