package dev.consentry.twin.ui;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringWriter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The UiAutomator2 page-source document of a snapshot. XPath runs against this very DOM, so what a client sees in
 * the source is exactly what its XPath matches; {@link #nodeOf} maps a matched element back to its view.
 */
public final class PageSource {
    private final Document document;
    private final Map<Element, UiNode> nodes = new IdentityHashMap<>();

    public PageSource(UiSnapshot snapshot) {
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is not configured", e);
        }
        Element hierarchy = document.createElement("hierarchy");
        hierarchy.setAttribute("index", "0");
        hierarchy.setAttribute("class", "hierarchy");
        hierarchy.setAttribute("rotation", "0");
        hierarchy.setAttribute("width", Integer.toString(snapshot.width()));
        hierarchy.setAttribute("height", Integer.toString(snapshot.height()));
        document.appendChild(hierarchy);
        hierarchy.appendChild(element(snapshot.root(), 0));
    }

    public Document document() {
        return document;
    }

    public UiNode nodeOf(Element e) {
        return nodes.get(e);
    }

    public String xml() {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.STANDALONE, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise page source", e);
        }
    }

    private Element element(UiNode n, int index) {
        Element e = document.createElement(n.className());
        nodes.put(e, n);
        for (Map.Entry<String, String> a : attributes(n, index).entrySet()) {
            e.setAttribute(a.getKey(), a.getValue());
        }
        List<UiNode> children = n.children();
        for (int i = 0; i < children.size(); i++) {
            e.appendChild(element(children.get(i), i));
        }
        return e;
    }

    /** Attribute order as UiAutomator2 writes it; the same names answer GET element attribute. */
    static Map<String, String> attributes(UiNode n, int index) {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put("index", Integer.toString(index));
        a.put("package", n.packageName());
        a.put("class", n.className());
        a.put("text", n.text());
        a.put("resource-id", n.resourceId());
        a.put("checkable", Boolean.toString(n.checkable()));
        a.put("checked", Boolean.toString(n.checked()));
        a.put("clickable", Boolean.toString(n.clickable()));
        a.put("enabled", "true");
        a.put("focusable", Boolean.toString(n.focusable()));
        a.put("focused", "false");
        a.put("long-clickable", "false");
        a.put("password", "false");
        a.put("scrollable", "false");
        a.put("selected", "false");
        a.put("bounds", n.bounds().toString());
        a.put("displayed", "true");
        if (!n.contentDesc().isEmpty()) {
            a.put("content-desc", n.contentDesc());
        }
        return a;
    }
}
