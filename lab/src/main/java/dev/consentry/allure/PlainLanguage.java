package dev.consentry.allure;

import dev.consentry.leak.Finding;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.JudgedFinding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The verdict for a procurement reviewer: one sentence per handset, one line per kind of personal data with where it
 * went and whether the user had agreed, in words, with no HAR or regex to read. Shown as the test's description, so
 * it is the first thing on the handset's page.
 */
public final class PlainLanguage {
    private static final Map<String, String> DATA = Map.ofEntries(
            Map.entry("imei", "the phone's IMEI (its unique hardware identity)"),
            Map.entry("imsi", "the SIM's subscriber identity (IMSI)"),
            Map.entry("iccid", "the SIM card's serial number (ICCID)"),
            Map.entry("phone_number", "the phone number"),
            Map.entry("contact_phone", "phone numbers from the address book"),
            Map.entry("contact_email", "e-mail addresses from the address book"),
            Map.entry("contact_name", "names from the address book"),
            Map.entry("android_id", "the Android ID"),
            Map.entry("serial", "the hardware serial number"),
            Map.entry("wifi_mac", "the Wi-Fi hardware address (MAC)"),
            Map.entry("advertising_id", "the advertising ID"),
            Map.entry("account_email", "the owner's e-mail address"),
            Map.entry("location", "the phone's location"));
    private static final Map<String, String> WHEN = Map.of(
            "allowed", "with the user's consent",
            "before_consent", "before the user was asked",
            "after_decline", "after the user had said no",
            "cleartext", "unencrypted, readable by anyone on the network",
            "unlisted_destination", "to a party the policy does not name");

    private PlainLanguage() {
    }

    /** @param handset how a reviewer knows the handset: "Xiaomi Redmi 1S (MIUI V5, 2014-07)" */
    public static String html(String handset, FlowResult r) {
        StringBuilder h = new StringBuilder("<div class=\"consentry-verdict\"><p><b>")
                .append(EvidenceHtml.esc(handset)).append("</b>, ").append(EvidenceHtml.esc(flow(r.flow())))
                .append(": <b>").append(headline(r)).append("</b></p>");
        Map<String, Map<String, TreeSet<String>>> byData = new TreeMap<>();
        for (JudgedFinding j : r.findings()) {
            j.leak().map(Finding::canary).ifPresent(c -> byData.computeIfAbsent(c.kind().id(), k -> new TreeMap<>())
                    .computeIfAbsent(j.host() + party(j), x -> new TreeSet<>()).add(j.verdict().id()));
        }
        if (!byData.isEmpty()) {
            h.append("<ul>");
            byData.forEach((data, hosts) -> {
                h.append("<li>").append(EvidenceHtml.esc(capital(DATA.getOrDefault(data, data)))).append(": ");
                List<String> parts = hosts.entrySet().stream().map(e -> "sent to " + EvidenceHtml.esc(e.getKey())
                        + " " + String.join(" and ", e.getValue().stream().map(v -> WHEN.getOrDefault(v, v))
                        .toList())).toList();
                h.append(String.join("; ", parts)).append(".</li>");
            });
            h.append("</ul>");
        }
        if (r.reason().isPresent() && r.findings().stream().noneMatch(j -> j.leak().isPresent())) {
            h.append("<p>Why: ").append(EvidenceHtml.esc(r.reason().get())).append("</p>");
        }
        if (!r.gaps().isEmpty()) {
            // Shown whatever the verdict: a FAIL with a gap may have missed more than it names.
            h.append("<p>Capture gaps: the lab could not see what the phone sent</p><ul class=\"consentry-gaps\">");
            r.gaps().forEach(g -> h.append("<li>from ").append(g.from()).append(" to ").append(g.to()).append(" (")
                    .append(EvidenceHtml.esc(Judge.seconds(g.length()))).append("): ")
                    .append(EvidenceHtml.esc(g.why())).append("</li>"));
            h.append("</ul>");
        }
        return h.append("</div>").toString();
    }

    /**
     * One line per kind of data and destination, "The phone's IMEI: sent to api.account.xiaomi.com before the user
     * was asked", or the verdict when nothing left: used as Allure "feature" labels, so the report's Behaviors tab
     * lists, per data category and destination, every handset that sent it.
     */
    public static List<String> features(FlowResult r) {
        Map<String, TreeSet<String>> lines = new TreeMap<>();
        for (JudgedFinding j : r.findings()) {
            j.leak().map(Finding::canary).ifPresent(c -> lines.computeIfAbsent(capital(DATA.getOrDefault(
                    c.kind().id(), c.kind().id())) + ": sent to " + j.host(), k -> new TreeSet<>())
                    .add(WHEN.getOrDefault(j.verdict().id(), j.verdict().id())));
        }
        if (lines.isEmpty()) {
            return List.of(capital(headline(r)));
        }
        return lines.entrySet().stream().map(e -> e.getKey() + " " + String.join(" and ", e.getValue())).toList();
    }

    private static String headline(FlowResult r) {
        return switch (r.verdict()) {
            case PASS -> "passes: no personal data left the phone without the user's consent";
            case FAIL -> "fails: personal data left the phone without the consent the user gave";
            case INCONCLUSIVE -> "could not be judged: the lab could not see everything the phone sent, so it "
                    + "does not pass";
        };
    }

    private static String flow(String flow) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("first-boot", "first start-up with every optional consent declined");
        names.put("contact-import", "contact import");
        names.put("cloud-opt-out", "cloud backup switched off");
        return names.getOrDefault(flow, flow);
    }

    private static String party(JudgedFinding j) {
        return j.destination().map(d -> " (" + d + ")").orElse("");
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
