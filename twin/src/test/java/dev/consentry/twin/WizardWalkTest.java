package dev.consentry.twin;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks each firmware's wizard to the launcher using only what page source shows, as a page object would. */
class WizardWalkTest {
    private static final String PKG = "com.android.provision";

    @Test
    void firmware2014ShowsTheDocumentedScreensAndReachesHome() throws Exception {
        List<String> titles = walk("redmi-1s-miui5-2014", "redmi1s-2014", false);
        assertThat(titles).containsExactly("Language", "Region", "Wi-Fi", "Mi account", "User Experience Program",
                "Location", "All set", "home");
    }

    @Test
    void firmware201408AddsMiCloudWithCloudMessagingUnchecked() throws Exception {
        List<String> titles = walk("redmi-1s-miui5-2014-08", "redmi1s-2014-08", true);
        assertThat(titles).containsExactly("Language", "Region", "Wi-Fi", "Mi account", "Mi Cloud",
                "User Experience Program", "Location", "All set", "home");
    }

    /** @return the titles seen in order, "home" for the launcher; asserts checkbox defaults on the way */
    private List<String> walk(String firmware, String serial, boolean expectMiCloud) throws Exception {
        List<String> titles = new ArrayList<>();
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware).withSerial(serial).start()) {
            WireClient wire = new WireClient(twin.uri());
            String session = wire.newSession(serial);
            for (int i = 0; i < 20; i++) {
                Document source = parse((String) wire.get("/session/" + session + "/source").value());
                Element root = source.getDocumentElement();
                assertThat(root.getTagName()).isEqualTo("hierarchy");
                assertThat(root.getAttribute("width")).isEqualTo("720");
                Map<String, Element> byId = new java.util.HashMap<>();
                NodeList all = source.getElementsByTagName("*");
                String pkg = null;
                for (int k = 0; k < all.getLength(); k++) {
                    Element e = (Element) all.item(k);
                    if (!e.getAttribute("resource-id").isEmpty()) {
                        byId.put(e.getAttribute("resource-id"), e);
                    }
                    if (pkg == null && !e.getAttribute("package").isEmpty()) {
                        pkg = e.getAttribute("package");
                    }
                }
                if ("com.miui.home".equals(pkg)) {
                    titles.add("home");
                    break;
                }
                String title = byId.get(PKG + ":id/title").getAttribute("text");
                titles.add(title);
                switch (title) {
                    case "Mi Cloud" -> assertThat(checked(byId, "cloud_messaging_checkbox")).isFalse();
                    case "User Experience Program" -> assertThat(checked(byId, "user_experience_checkbox")).isTrue();
                    case "Location" -> assertThat(checked(byId, "location_checkbox")).isTrue();
                    default -> { }
                }
                String advance = List.of("next_button", "skip_button", "group_primary_button").stream()
                        .filter(id -> byId.containsKey(PKG + ":id/" + id)).findFirst().orElseThrow();
                Element button = byId.get(PKG + ":id/" + advance);
                assertThat(button.getTagName()).isEqualTo("android.widget.Button");
                assertThat(button.getAttribute("clickable")).isEqualTo("true");
                assertThat(button.getAttribute("bounds")).matches("\\[\\d+,\\d+]\\[\\d+,\\d+]");
                var found = wire.post("/session/" + session + "/element",
                        Map.of("using", "id", "value", PKG + ":id/" + advance));
                String eid = (String) found.valueMap().get("element-6066-11e4-a52e-4f735466cecf");
                assertThat(wire.post("/session/" + session + "/element/" + eid + "/click", Map.of()).status())
                        .isEqualTo(200);
            }
            assertThat(titles.contains("Mi Cloud")).isEqualTo(expectMiCloud);
        }
        return titles;
    }

    private static boolean checked(Map<String, Element> byId, String id) {
        Element e = byId.get(PKG + ":id/" + id);
        assertThat(e.getTagName()).isEqualTo("android.widget.CheckBox");
        assertThat(e.getAttribute("checkable")).isEqualTo("true");
        return Boolean.parseBoolean(e.getAttribute("checked"));
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
