package dev.consentry.allure;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * A finding's {@link EvidenceChain} as a small HTML page for an Allure attachment (Allure shows text/html
 * attachments inline): one block per stage, binary stages as hex, the canary highlighted where the chain ends.
 */
public final class EvidenceHtml {
    private static final int PREVIEW = 600;
    private static final int CONTEXT = 160;

    private EvidenceHtml() {
    }

    /** @param redact applied to shown text around the canary (credentials masked); never to the canary itself */
    public static String render(EvidenceChain chain, UnaryOperator<String> redact) {
        var f = chain.finding();
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>"
                + "body{font-family:sans-serif;font-size:13px}pre{white-space:pre-wrap;word-break:break-all;"
                + "background:#f6f6f6;padding:6px;margin:2px 0 10px}mark{background:#ffd54f;font-weight:bold}"
                + ".arrow{color:#888}</style></head><body>");
        h.append("<p><b>").append(esc(f.canary().kind().id())).append("</b> ")
                .append(esc(f.canary().value())).append(" sent to <b>").append(esc(f.scheme() + "://" + f.host()))
                .append("</b> in ").append(esc(f.location())).append(", flow ").append(esc(f.flowId())).append("</p>");
        h.append("<p>chain: sent");
        chain.stages().stream().skip(1).forEach(s -> h.append(" <span class=\"arrow\">&rarr;</span> ")
                .append(esc(s.step())));
        h.append(" <span class=\"arrow\">&rarr;</span> <mark>").append(esc(f.form())).append("</mark></p>");
        for (int i = 0; i < chain.stages().size(); i++) {
            EvidenceChain.Stage s = chain.stages().get(i);
            h.append("<div class=\"stage\"><b>").append(i + 1).append(". ").append(esc(s.label())).append("</b><pre>");
            if (s.matchStart() >= 0) {
                int from = Math.max(0, s.matchStart() - CONTEXT);
                int to = Math.min(s.data().length, s.matchStart() + s.matchLength() + CONTEXT);
                h.append(from > 0 ? "&hellip;" : "")
                        .append(esc(redact.apply(text(s.data(), from, s.matchStart()))))
                        .append("<mark>").append(esc(text(s.data(), s.matchStart(), s.matchStart() + s.matchLength())))
                        .append("</mark>").append(esc(redact.apply(text(s.data(), s.matchStart() + s.matchLength(), to))))
                        .append(to < s.data().length ? "&hellip;" : "");
            } else if (printable(s.data())) {
                int to = Math.min(s.data().length, PREVIEW);
                h.append(esc(redact.apply(text(s.data(), 0, to)))).append(to < s.data().length ? "&hellip;" : "");
            } else {
                byte[] head = java.util.Arrays.copyOf(s.data(), Math.min(s.data().length, 64));
                h.append(esc(HexFormat.ofDelimiter(" ").formatHex(head)))
                        .append(s.data().length > 64 ? " &hellip; (binary)" : " (binary)");
            }
            h.append("</pre></div>");
        }
        if (!chain.reached()) {
            h.append("<p><b>The replay of this chain did not reach the canary</b>: check the flow in the HAR "
                    + "attachment by hand.</p>");
        }
        return h.append("</body></html>").toString();
    }

    private static String text(byte[] d, int from, int to) {
        return new String(d, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }

    private static boolean printable(byte[] d) {
        int n = Math.min(d.length, 512);
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int b = d[i] & 0xff;
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7f) {
                bad++;
            }
        }
        return bad * 20 <= n;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
