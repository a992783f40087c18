package dev.consentry.verdict;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.ConsentState;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;
import dev.consentry.leak.ScanTarget;
import dev.consentry.policy.Category;
import dev.consentry.policy.Destination;
import dev.consentry.policy.NecessaryTraffic;
import dev.consentry.policy.Party;
import dev.consentry.policy.Policy;
import dev.consentry.policy.Rule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges a test's evidence against the consent ledger and a policy, failing closed: any violation is a FAIL whatever
 * else happened; otherwise any doubt about what the capture saw (problems, gaps, opaque TLS to a party the policy does
 * not exempt, unobserved connections, no traffic at all) makes the result INCONCLUSIVE, never PASS.
 */
public final class Judge {
    private Judge() {
    }

    public static FlowResult judge(Evidence evidence, ConsentLedger ledger, Policy policy) {
        Map<String, CapturedFlow> flowsById = evidence.flows().stream()
                .collect(Collectors.toMap(CapturedFlow::id, Function.identity(), (a, b) -> a));
        Instant fallback = evidence.flows().stream().map(CapturedFlow::started).min(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
        List<JudgedFinding> judged = new ArrayList<>();
        for (Finding f : evidence.leaks()) {
            // A finding always names a flow of the same capture; the fallback only guards hand-made evidence.
            Instant at = Optional.ofNullable(flowsById.get(f.flowId())).map(CapturedFlow::started).orElse(fallback);
            judged.add(leak(f, at, ledger, policy, evidence.timeline()));
        }
        for (OpaqueConnection o : evidence.opaque()) {
            judged.add(opaque(o, ledger, policy, evidence.timeline()));
        }
        for (UnobservedConnection u : evidence.unobserved()) {
            judged.add(unobserved(u, ledger, policy, evidence.timeline()));
            // What the tap read in its cleartext is judged like any leak the proxy saw.
            u.carried().orElse(List.of()).forEach(f -> judged.add(leak(f, u.at(), ledger, policy,
                    evidence.timeline())));
        }
        judged.sort(Comparator.comparing(JudgedFinding::at));

        String device = evidence.device();
        String flow = evidence.flow();
        List<JudgedFinding> violations = judged.stream().filter(JudgedFinding::violation).toList();
        if (!violations.isEmpty()) {
            String what = violations.stream().map(JudgedFinding::headline).distinct()
                    .collect(Collectors.joining(", "));
            return FlowResult.failed(device, flow, judged, "personal data left the handset: " + what
                    + ". First: " + violations.get(0).explanation()).withGaps(evidence.gaps());
        }
        List<String> doubts = new ArrayList<>(evidence.problems());
        evidence.gaps().forEach(g -> doubts.add(g.toString()));
        judged.stream().filter(JudgedFinding::doubt).forEach(j -> doubts.add(j.explanation()));
        if (!doubts.isEmpty()) {
            return FlowResult.inconclusive(device, flow, judged, String.join("; ", doubts)).withGaps(evidence.gaps());
        }
        if (evidence.flows().isEmpty()) {
            // A handset that sent nothing at all through the proxy is more likely bypassing it than silent.
            return FlowResult.inconclusive(device, flow, judged,
                    "no traffic reached the proxy: the handset may bypass it, so silence proves nothing");
        }
        return FlowResult.passed(device, flow, judged);
    }

    /**
     * Where in the traffic a finding was. The tap's findings have no request part to name: they were read from a
     * connection's cleartext bytes on the wire, which the proxy never saw.
     */
    private static String where(String location) {
        return switch (location) {
            case "tap" -> "cleartext only the network tap saw (not the proxy)";
            case ScanTarget.WEBSOCKET -> "a WebSocket message";
            default -> location;
        };
    }

    /** Judges one leak: which party got it, under which consent, and which rule allowed it or came nearest. */
    static JudgedFinding leak(Finding f, Instant at, ConsentLedger ledger, Policy policy, Timeline timeline) {
        Context c = Context.of(at, ledger, timeline);
        String kind = f.canary().kind().id();
        Optional<Category> category = policy.categoryOf(f.canary().kind());
        String categoryId = category.map(Category::id).orElse(kind);
        Optional<Destination> dest = policy.destinationOf(f.host());
        boolean cleartext = "http".equalsIgnoreCase(f.scheme());
        StringBuilder s = new StringBuilder();
        s.append(kind).append(' ').append(f.canary().value()).append(" (").append(category.map(Category::id)
                        .map(id -> "category " + id).orElse("in no category of the policy")).append(") left in ")
                .append(where(f.location())).append(" for ").append(f.scheme()).append("://").append(f.host())
                .append(dest.map(d -> " (" + d.name() + ", " + d.party().id() + ")").orElse(""))
                .append(' ').append(c.when()).append("; consent then: ").append(c.consent).append('.');
        Optional<NecessaryTraffic> necessary = policy.necessaryFor(f.host());
        necessary.ifPresent(n -> s.append(" It matches necessary traffic '").append(n.name()).append("' (")
                .append(n.where()).append(") but is not exempt because it carried ").append(kind).append(' ')
                .append(f.canary().value()).append(": necessary traffic needs no consent only while it carries no"
                        + " identifier, so it is judged like any other."));

        if (dest.isEmpty()) {
            s.append(" ").append(f.host()).append(" belongs to no destination of policy ").append(policy.name())
                    .append(": list it under destinations (with its party) before any rule can allow it.");
            return c.finding(FindingVerdict.UNLISTED_DESTINATION, f, Optional.empty(), Optional.empty(),
                    Optional.empty(), s);
        }
        Party party = dest.get().party();
        List<Rule> rules = category.isEmpty() ? List.of() : policy.rulesFor(categoryId, party);
        for (Rule r : rules) {
            Optional<ConsentEntry> d = ledger.decisionAt(r.purpose(), at);
            if (d.isPresent() && d.get().granted()) {
                if (cleartext && policy.forbidCleartext()) {
                    s.append(" Rule ").append(r).append(" allowed it (").append(r.purpose()).append(" granted ")
                            .append(onScreen(d.get())).append("), but personal data over plain HTTP is forbidden"
                                    + " whatever the consent (always: cleartext): it must go over HTTPS.");
                    return c.finding(FindingVerdict.CLEARTEXT, f, Optional.of(party), dest.map(Destination::name),
                            Optional.of(r.toString()), s);
                }
                s.append(" Allowed by ").append(r).append(": ").append(r.purpose()).append(" granted ")
                        .append(onScreen(d.get())).append('.');
                return c.finding(FindingVerdict.ALLOWED, f, Optional.of(party), dest.map(Destination::name),
                        Optional.of(r.toString()), s);
            }
        }
        String plainHttp = cleartext && policy.forbidCleartext()
                ? " It also went over plain HTTP, which the policy forbids whatever the consent." : "";
        for (Rule r : rules) {
            Optional<ConsentEntry> d = ledger.decisionAt(r.purpose(), at);
            if (d.isPresent()) {
                s.append(" Nearest rule: ").append(r).append(" would have allowed it, but ").append(r.purpose())
                        .append(" was declined ").append(onScreen(d.get())).append(", ")
                        .append(seconds(Duration.between(d.get().at(), at))).append(" before it was sent.")
                        .append(plainHttp);
                return c.finding(FindingVerdict.AFTER_DECLINE, f, Optional.of(party), dest.map(Destination::name),
                        Optional.of(r.toString()), s);
            }
        }
        Optional<Rule> nearest = rules.stream().findFirst();
        if (nearest.isPresent()) {
            Rule r = nearest.get();
            s.append(" Nearest rule: ").append(r).append(" would have allowed it, but ").append(r.purpose())
                    .append(ledger.firstAfter(r.purpose(), at)
                            .map(later -> " was only asked " + seconds(Duration.between(at, later.at())) + " later "
                                    + onScreen(later) + " (" + later.decision() + ")")
                            .orElse(" was never asked")).append('.');
        } else {
            nearest = nearestOther(policy, categoryId, party);
            s.append(" No rule of policy ").append(policy.name()).append(" lets ").append(categoryId).append(" go to ")
                    .append(party.id()).append(" under any consent");
            nearest.ifPresent(r -> s.append("; nearest: ").append(r).append(", which does not cover ")
                    .append(r.party() == party ? categoryId : party.id()));
            s.append('.');
        }
        s.append(plainHttp);
        return c.finding(FindingVerdict.BEFORE_CONSENT, f, Optional.of(party), dest.map(Destination::name),
                nearest.map(Rule::toString), s);
    }

    /** A rule for the same category to another party, else one for the same party with other categories. */
    private static Optional<Rule> nearestOther(Policy policy, String category, Party party) {
        return policy.rules().stream().filter(r -> r.categories().contains(category)).findFirst()
                .or(() -> policy.rules().stream().filter(r -> r.party() == party).findFirst());
    }

    static JudgedFinding opaque(OpaqueConnection o, ConsentLedger ledger, Policy policy, Timeline timeline) {
        Context c = Context.of(o.at(), ledger, timeline);
        Optional<Destination> dest = policy.destinationOf(o.host());
        boolean exempt = dest.map(Destination::opaqueExempt).orElse(false);
        StringBuilder s = new StringBuilder("TLS to ").append(o.host()).append(o.port() > 0 ? ":" + o.port() : "")
                .append(dest.map(d -> " (" + d.name() + ", " + d.party().id() + ")").orElse(" (no destination of the"
                        + " policy)"))
                .append(" could not be decrypted ").append(c.when()).append("; consent then: ").append(c.consent)
                .append(". The client refused the lab CA (certificate pinning?)");
        if (!o.error().isBlank()) {
            s.append(": ").append(o.error());
        }
        s.append(exempt ? ". " + dest.get().where() + " exempts it (opaqueExempt), so it does not block a verdict."
                : ". What it carried is unknown and policy " + policy.name() + " does not exempt "
                + dest.map(Destination::name).orElse(o.host()) + " (opaqueExempt), so the test cannot pass.");
        return new JudgedFinding(FindingVerdict.OPAQUE, Optional.empty(), o.host(), "https", o.at(),
                dest.map(Destination::party), dest.map(Destination::name), c.consent, c.screen, c.step,
                Optional.empty(), exempt, s.toString());
    }

    static JudgedFinding unobserved(UnobservedConnection u, ConsentLedger ledger, Policy policy, Timeline timeline) {
        Context c = Context.of(u.at(), ledger, timeline);
        Optional<Destination> dest = policy.destinationOf(u.host());
        boolean named = !u.address().isEmpty() && !u.address().equals(u.host());
        StringBuilder s = new StringBuilder("a connection to ").append(u.host())
                .append(named ? " (" + u.address() + ")" : "").append(u.port() > 0 ? ":" + u.port() : "")
                .append(u.protocol().isBlank() ? "" : " (" + u.protocol() + ")")
                .append(dest.map(d -> " [" + d.name() + ", " + d.party().id() + "]").orElse(""))
                .append(" was seen on the wire ").append(c.when()).append(", ").append(u.bytesOut())
                .append(" bytes out and ").append(u.bytesIn()).append(" bytes in, but never reached the capture: it"
                        + " bypassed the proxy");
        Optional<NecessaryTraffic> necessary = policy.necessaryFor(u.host());
        List<Finding> carried = u.carried().orElse(List.of());
        // Necessary traffic needs no consent only when it is known to carry no identifier: the tap must have read
        // all of it in cleartext and found none. TLS, or a payload cut short, proves nothing.
        boolean exempt = necessary.isPresent() && u.carried().isPresent() && carried.isEmpty();
        if (u.carried().isEmpty()) {
            s.append(", so what it carried is unknown");
            necessary.ifPresent(n -> s.append(" (it matches necessary traffic '").append(n.name()).append("', but")
                    .append(" only traffic shown to carry no identifier needs no consent)"));
        } else if (carried.isEmpty()) {
            s.append("; the tap read all it sent in cleartext and found no identifier");
            s.append(necessary.map(n -> ": it is necessary traffic ('" + n.name() + "', " + n.where()
                    + "), which needs no consent, so it does not block a verdict").orElse(", but "
                    + u.host() + " is not necessary traffic under policy " + policy.name() + ", so the bypass"
                    + " itself stays a doubt"));
        } else {
            s.append("; the tap read it in cleartext: it carried ").append(carried.stream()
                    .map(f -> f.canary().kind().id() + " " + f.canary().value()).distinct()
                    .collect(Collectors.joining(", ")));
            necessary.ifPresent(n -> s.append(", so it is not exempt as necessary traffic ('").append(n.name())
                    .append("')"));
            s.append(" (judged as a leak below)");
        }
        s.append(u.detail().isBlank() ? "" : " [" + u.detail() + "]").append("; consent then: ").append(c.consent)
                .append('.');
        return new JudgedFinding(FindingVerdict.UNOBSERVED, Optional.empty(), u.host(), u.protocol(), u.at(),
                dest.map(Destination::party), dest.map(Destination::name), c.consent, c.screen, c.step,
                Optional.empty(), exempt, s.toString(), Optional.of(u));
    }

    /** "1.2 s", "350 ms": durations as a reader wants them in a message. */
    public static String seconds(Duration d) {
        long ms = Math.abs(d.toMillis());
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String onScreen(ConsentEntry e) {
        return "on screen '" + e.screen() + "'" + (e.step().isEmpty() ? "" : " (step " + e.step() + ")") + " at "
                + e.at();
    }

    /** Where in the test a moment falls, and the consent in force then. */
    private record Context(Instant at, ConsentState consent, Optional<String> screen, Optional<String> step,
                           Optional<Instant> screenSince) {
        static Context of(Instant at, ConsentLedger ledger, Timeline timeline) {
            Optional<Timeline.Mark> last = timeline.lastScreen(at);
            return new Context(at, ledger.stateAt(at), last.flatMap(Timeline.Mark::screen),
                    timeline.at(at).map(Timeline.Mark::step).filter(s -> !s.isEmpty()), last.map(Timeline.Mark::at));
        }

        String when() {
            StringBuilder s = new StringBuilder("at ").append(at);
            screen.ifPresent(sc -> s.append(", ").append(seconds(Duration.between(screenSince.get(), at)))
                    .append(" after screen '").append(sc).append("' appeared"));
            step.ifPresent(st -> s.append(" (step ").append(st).append(')'));
            return s.toString();
        }

        JudgedFinding finding(FindingVerdict v, Finding f, Optional<Party> party, Optional<String> dest,
                              Optional<String> rule, StringBuilder explanation) {
            return new JudgedFinding(v, Optional.of(f), f.host(), f.scheme(), at, party, dest, consent, screen, step,
                    rule, false, explanation.toString());
        }
    }
}
