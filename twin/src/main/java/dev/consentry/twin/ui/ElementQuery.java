package dev.consentry.twin.ui;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Element location strategies UiAutomator2 supports that page objects use: id, xpath, accessibility id. */
public final class ElementQuery {
    /** Thrown for a strategy the twin does not know or a malformed selector (W3C "invalid selector"). */
    public static final class InvalidSelector extends Exception {
        public InvalidSelector(String message) {
            super(message);
        }
    }

    private ElementQuery() {
    }

    /**
     * @param scope when present, only this view's descendants are searched (find element from element)
     */
    public static List<UiNode> find(UiSnapshot snapshot, String using, String value, Optional<UiNode> scope)
            throws InvalidSelector {
        List<UiNode> candidates = scope.map(s -> s.flatten().subList(1, s.flatten().size()))
                .orElseGet(() -> snapshot.root().flatten());
        switch (using) {
            case "id": {
                // A bare name resolves against the foreground package, as UiAutomator2 does.
                String full = value.contains(":id/") ? value : snapshot.packageName() + ":id/" + value;
                return candidates.stream().filter(n -> n.resourceId().equals(full)).toList();
            }
            case "accessibility id":
                return candidates.stream().filter(n -> n.contentDesc().equals(value)).toList();
            case "xpath":
                return xpath(snapshot, value, scope);
            default:
                throw new InvalidSelector("Locator Strategy '" + using + "' is not supported for this session");
        }
    }

    private static List<UiNode> xpath(UiSnapshot snapshot, String expression, Optional<UiNode> scope)
            throws InvalidSelector {
        PageSource source = new PageSource(snapshot);
        Object context = source.document();
        if (scope.isPresent()) {
            context = findElement(source, source.document().getDocumentElement(), scope.get());
        }
        NodeList result;
        try {
            result = (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, context,
                    XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new InvalidSelector("Unable to locate an element using xpath '" + expression + "': "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
        List<UiNode> out = new ArrayList<>();
        for (int i = 0; i < result.getLength(); i++) {
            if (result.item(i) instanceof Element e && source.nodeOf(e) != null) {
                out.add(source.nodeOf(e));
            }
        }
        return out;
    }

    private static Element findElement(PageSource source, Element e, UiNode target) {
        if (source.nodeOf(e) == target) {
            return e;
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element c) {
                Element found = findElement(source, c, target);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The attribute named as a client asks for it; null when the view has no such attribute. */
    public static String attribute(UiNode n, String name) {
        return switch (name) {
            case "resourceId" -> n.resourceId();
            case "contentDescription", "content-desc" -> n.contentDesc().isEmpty() ? null : n.contentDesc();
            case "className", "class" -> n.className();
            case "name" -> n.contentDesc().isEmpty() ? n.text() : n.contentDesc();
            default -> PageSource.attributes(n, 0).get(name);
        };
    }
}
