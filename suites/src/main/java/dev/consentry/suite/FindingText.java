package dev.consentry.suite;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.leak.Finding;

import java.util.List;

/** A finding told as evidence a person can check: what, where in which request, and how it was wrapped. */
final class FindingText {
    private FindingText() {
    }

    static String describe(Finding f, List<CapturedFlow> flows) {
        StringBuilder s = new StringBuilder();
        s.append("canary:     ").append(f.canary().kind().id()).append(" = ").append(f.canary().value()).append('\n');
        s.append("origin:     ").append(f.canary().origin()).append('\n');
        s.append("sent to:    ").append(f.scheme()).append("://").append(f.host()).append('\n');
        s.append("location:   ").append(f.location()).append('\n');
        s.append("encoding:   ").append(f.transforms().isEmpty() ? "plain" : String.join(" > ", f.transforms()))
                .append(" > ").append(f.form()).append('\n');
        s.append("offset:     ").append(f.offset()).append(" (in the decoded view)\n");
        s.append("flow:       ").append(f.flowId()).append('\n');
        flows.stream().filter(fl -> fl.id().equals(f.flowId())).findFirst().ifPresent(fl -> {
            s.append("request:    ").append(fl.request().method()).append(' ').append(fl.request().url()).append('\n');
            s.append("sent at:    ").append(fl.started()).append('\n');
        });
        return s.toString();
    }
}
