package dev.consentry.suite;

import dev.consentry.allure.EvidenceChain;
import dev.consentry.allure.ConsentTimelineHtml;
import dev.consentry.allure.EvidenceHtml;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.allure.MatrixHtml;
import dev.consentry.allure.PlainLanguage;
import dev.consentry.diff.ExposureMatrix;
import dev.consentry.verdict.FlowResult;
import dev.consentry.canary.Canary;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.har.HarWriter;
import dev.consentry.leak.Finding;
import dev.consentry.redact.Redactor;
import dev.consentry.verdict.JudgedFinding;
import io.qameta.allure.Allure;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Every text a test attaches to the report goes through here, so nothing reaches Allure unredacted: credentials and
 * private keys never, real identifiers of the handset only inside the evidence of a leak.
 */
final class AllureEvidence {
    private final Redactor redactor;

    private AllureEvidence(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Before the scan: nothing is evidence yet, so every read identifier is masked. */
    static AllureEvidence beforeScan(List<Canary> canaries) {
        return new AllureEvidence(Redactor.of(canaries, List.of()));
    }

    /** After the scan: the flows the findings cite keep the identifiers they carry. */
    static AllureEvidence afterScan(List<Canary> canaries, List<Finding> findings) {
        return new AllureEvidence(Redactor.of(canaries, findings));
    }

    void canaries(List<Canary> canaries) {
        StringBuilder s = new StringBuilder("kind\tvalue\torigin\n");
        canaries.forEach(c -> s.append(c.kind().id()).append('\t').append(c.value()).append('\t')
                .append(c.origin()).append('\n'));
        text("canaries", "text/tab-separated-values", s.toString(), ".tsv");
    }

    /** The flows as HAR, with what each WebSocket sent (analyze reads both, as it reads a browser's HAR). */
    void flows(List<CapturedFlow> flows, SentOnWebSockets sent) {
        Allure.addAttachment("captured flows (HAR)", "application/json",
                new ByteArrayInputStream(HarWriter.write(redactor.flows(flows), redactor.sent(sent))), ".har");
    }

    /**
     * The evidence of one finding with its verdict and explanation: a leak's identifiers stay, credentials around
     * them do not; opaque and unobserved findings carry no identifier of their own, so they are redacted fully.
     * A leak gets a second attachment: the chain from the bytes as sent to the canary, decoded step by step, with
     * the canary highlighted.
     */
    void finding(JudgedFinding j, List<CapturedFlow> flows, SentOnWebSockets sent) {
        String verdict = "finding (" + j.verdict().id() + "): ";
        if (j.leak().isPresent()) {
            Finding f = j.leak().get();
            flows.stream().filter(fl -> fl.id().equals(f.flowId())).findFirst().ifPresent(fl ->
                    Allure.addAttachment("evidence: " + f.canary().kind().id() + " decoded ("
                                    + (f.transforms().isEmpty() ? "as sent" : String.join(" > ", f.transforms()))
                                    + ")", "text/html",
                            EvidenceHtml.render(EvidenceChain.replay(f, fl,
                                    sent.of(fl.id())), redactor::secrets), ".html"));
            Allure.addAttachment(verdict + f.canary().kind().id() + " " + f.canary().value() + " sent to "
                            + f.scheme() + "://" + f.host() + " in " + f.location(), "text/plain",
                    redactor.secrets(FindingText.describe(f, flows) + "\n" + j.verdict().id() + ": "
                            + j.explanation() + "\n"), ".txt");
        } else {
            text(verdict + j.host() + " at " + j.at(), "text/plain", j.explanation(), ".txt");
        }
    }

    /**
     * For procurement, the verdict in plain words as the test's description (the top of its page); for vendors, the
     * matrix of destination x data category x consent state. Neither holds an identifier.
     */
    void forReaders(String handset, FlowResult result) {
        Allure.descriptionHtml(PlainLanguage.html(handset, result));
        PlainLanguage.features(result).forEach(f -> Allure.label("feature", f));
        Allure.addAttachment("matrix: destination x data category x consent", "text/html",
                MatrixHtml.matrix(ExposureMatrix.of(result.device(), List.of(result))), ".html");
    }

    /** For engineers: steps, screens, consent decisions and findings in the order they happened. */
    void timeline(Timeline timeline, ConsentLedger ledger, FlowResult result) {
        Allure.addAttachment("consent timeline", "text/html",
                ConsentTimelineHtml.render(timeline, ledger, result.findings()), ".html");
    }

    void log(String name, String text) {
        text(name, "text/plain", text, ".log");
    }

    void text(String name, String type, String text, String extension) {
        Allure.addAttachment(name, type, redactor.text(text), extension);
    }
}
