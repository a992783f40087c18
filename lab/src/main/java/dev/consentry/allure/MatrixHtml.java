package dev.consentry.allure;

import dev.consentry.diff.ExposureMatrix;
import dev.consentry.diff.FirmwareDiff;

/** The vendor's views as HTML attachments: the exposure matrix of a firmware, and its diff against a baseline. */
public final class MatrixHtml {
    private static final String STYLE = "<style>body{font-family:sans-serif;font-size:13px}table{border-collapse:"
            + "collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.bad{background:#ffcdd2}"
            + ".ok{background:#c8e6c9}pre{white-space:pre-wrap}</style>";

    private MatrixHtml() {
    }

    /** Rows: destinations; columns: data categories; cells: the consent states the data was sent in. */
    public static String matrix(ExposureMatrix m) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">").append(STYLE)
                .append("</head><body><p><b>").append(EvidenceHtml.esc(m.device()))
                .append("</b>: personal data by destination, data category and consent state</p>");
        if (m.empty()) {
            return h.append("<p>No personal data left the handset.</p></body></html>").toString();
        }
        h.append("<table><tr><th>destination</th>");
        m.categories().forEach(c -> h.append("<th>").append(EvidenceHtml.esc(c)).append("</th>"));
        h.append("</tr>");
        for (String host : m.hosts()) {
            h.append("<tr><td>").append(EvidenceHtml.esc(host)).append("</td>");
            for (String c : m.categories()) {
                var states = m.cell(host, c);
                String cls = states.isEmpty() ? "" : states.stream().allMatch("allowed"::equals) ? " class=\"ok\""
                        : " class=\"bad\"";
                h.append("<td").append(cls).append('>').append(EvidenceHtml.esc(String.join(", ", states)))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</table></body></html>").toString();
    }

    public static String diff(FirmwareDiff d) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + STYLE + "</head><body><p class=\""
                + (d.regressed() ? "bad" : "ok") + "\"><b>" + (d.regressed() ? "Regressed" : "No regression")
                + "</b> against the baseline</p><pre>" + EvidenceHtml.esc(d.text()) + "</pre></body></html>";
    }
}
