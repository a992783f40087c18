package dev.consentry.twin.webdriver;

import dev.consentry.twin.ui.ClickOutcome;
import dev.consentry.twin.ui.ElementQuery;
import dev.consentry.twin.ui.UiNode;
import dev.consentry.twin.ui.UiSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finding elements and asking them things. */
final class ElementCommands {
    static final String W3C_ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration POLL = Duration.ofMillis(100);

    private final Device device;
    private final SessionRegistry sessions;

    ElementCommands(Device device, SessionRegistry sessions) {
        this.device = device;
        this.sessions = sessions;
    }

    void register(Router r) {
        String el = "/session/{sessionId}/element/{elementId}";
        r.add("POST", "/session/{sessionId}/element", req -> findOne(req, Optional.empty()))
                .add("POST", "/session/{sessionId}/elements", req -> findAll(req, Optional.empty()))
                .add("POST", el + "/element", req -> findOne(req, Optional.of(req.param("elementId"))))
                .add("POST", el + "/elements", req -> findAll(req, Optional.of(req.param("elementId"))))
                .add("POST", el + "/click", this::click)
                .add("GET", el + "/text", req -> resolve(req).node().text())
                .add("GET", el + "/name", req -> resolve(req).node().className())
                .add("GET", el + "/attribute/{name}", req -> ElementQuery.attribute(resolve(req).node(),
                        req.param("name")))
                .add("GET", el + "/property/{name}", req -> ElementQuery.attribute(resolve(req).node(),
                        req.param("name")))
                .add("GET", el + "/displayed", req -> {
                    resolve(req);
                    return true;
                })
                .add("GET", el + "/enabled", req -> {
                    resolve(req);
                    return true;
                })
                .add("GET", el + "/selected", req -> resolve(req).node().checked())
                .add("GET", el + "/rect", req -> {
                    var b = resolve(req).node().bounds();
                    return Map.of("x", b.left(), "y", b.top(), "width", b.width(), "height", b.height());
                });
    }

    private record Resolved(UiSnapshot snapshot, ElementRef ref, UiNode node) { }

    private Resolved resolve(Request req) {
        Session s = sessions.get(req.param("sessionId"));
        ElementRef ref = s.element(req.param("elementId"));
        UiSnapshot snap = device.snapshot();
        Optional<UiNode> node = snap.generation() == ref.generation() ? snap.node(ref.key()) : Optional.empty();
        return new Resolved(snap, ref, node.orElseThrow(() -> new WebDriverException(
                ErrorCode.STALE_ELEMENT_REFERENCE, "The element '" + req.param("elementId")
                + "' does not exist in DOM anymore")));
    }

    private Object click(Request req) {
        Resolved r = resolve(req);
        if (device.click(r.ref().generation(), r.ref().key()) == ClickOutcome.STALE) {
            throw new WebDriverException(ErrorCode.STALE_ELEMENT_REFERENCE,
                    "The element '" + req.param("elementId") + "' does not exist in DOM anymore");
        }
        return null;
    }

    private Object findOne(Request req, Optional<String> parent) {
        List<Map<String, String>> found = search(req, parent, true);
        if (found.isEmpty()) {
            throw new WebDriverException(ErrorCode.NO_SUCH_ELEMENT,
                    "An element could not be located on the page using the given search parameters.");
        }
        return found.get(0);
    }

    private Object findAll(Request req, Optional<String> parent) {
        return search(req, parent, false);
    }

    /** Polls until something matches or the session's implicit wait is over, as UiAutomator2 does. */
    private List<Map<String, String>> search(Request req, Optional<String> parentId, boolean one) {
        Session s = sessions.get(req.param("sessionId"));
        String using = req.bodyString("using");
        String value = req.bodyString("value");
        Instant deadline = Instant.now().plus(s.implicitWait());
        while (true) {
            UiSnapshot snap = device.snapshot();
            Optional<UiNode> scope = parentId.map(id -> resolve(req).node());
            List<UiNode> nodes;
            try {
                nodes = ElementQuery.find(snap, using, value, scope);
            } catch (ElementQuery.InvalidSelector e) {
                throw new WebDriverException(ErrorCode.INVALID_SELECTOR, e.getMessage());
            }
            if (!nodes.isEmpty() || !Instant.now().plus(POLL).isBefore(deadline)) {
                return (one ? nodes.stream().limit(1) : nodes.stream())
                        .map(n -> reference(s.register(new ElementRef(snap.generation(), n.key())))).toList();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "interrupted while waiting for elements");
            }
        }
    }

    private static Map<String, String> reference(String id) {
        return Map.of(W3C_ELEMENT_KEY, id, "ELEMENT", id);
    }
}
