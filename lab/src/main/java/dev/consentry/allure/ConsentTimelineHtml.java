package dev.consentry.allure;

import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.verdict.JudgedFinding;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The consent ledger as a timeline for engineers: steps, screens, consent decisions and findings in the order they
 * happened, so "sent 1.0 s after 'All set', before cloud_messaging was ever asked" can be read off one table. Findings
 * show what kind of data went where, never the value.
 */
public final class ConsentTimelineHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private record Row(Instant at, String kind, String what, boolean bad) {
    }

    private ConsentTimelineHtml() {
    }

    public static String render(Timeline timeline, ConsentLedger ledger, List<JudgedFinding> findings) {
        List<Row> rows = new ArrayList<>();
        for (Timeline.Mark m : timeline.marks()) {
            rows.add(m.screen().map(s -> new Row(m.at(), "screen", s + " (step " + m.step() + ")", false))
                    .orElse(new Row(m.at(), "step", m.step(), false)));
        }
        for (ConsentEntry e : ledger.entries()) {
            rows.add(new Row(e.at(), "consent", e.purpose() + " " + e.decision() + " on '" + e.screen() + "' ("
                    + e.control() + ")", false));
        }
        for (JudgedFinding j : findings) {
            rows.add(new Row(j.at(), j.verdict().id(), j.leak().map(f -> f.canary().kind().id() + " to ")
                    .orElse("connection to ") + j.scheme() + "://" + j.host() + " (consent then: " + j.consent() + ")",
                    j.violation() || j.doubt()));
        }
        rows.sort(Comparator.comparing(Row::at));
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>"
                + "body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse}td,th{border:1px solid"
                + " #ccc;padding:3px 8px;text-align:left}.bad{background:#ffcdd2}.consent{background:#e3f2fd}</style>"
                + "</head><body><table><tr><th>time (UTC)</th><th>+s</th><th>what</th><th></th></tr>");
        Instant start = rows.isEmpty() ? Instant.EPOCH : rows.get(0).at();
        for (Row r : rows) {
            String cls = r.bad() ? " class=\"bad\"" : r.kind().equals("consent") ? " class=\"consent\"" : "";
            h.append("<tr").append(cls).append("><td>").append(TIME.format(r.at())).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.1f",
                            Duration.between(start, r.at()).toMillis() / 1000.0)).append("</td><td>")
                    .append(EvidenceHtml.esc(r.kind())).append("</td><td>").append(EvidenceHtml.esc(r.what()))
                    .append("</td></tr>");
        }
        return h.append("</table></body></html>").toString();
    }
}
