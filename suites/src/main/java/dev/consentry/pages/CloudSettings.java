package dev.consentry.pages;

import dev.consentry.suite.ConsentDecision;
import dev.consentry.suite.FlowRecorder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A vendor's cloud settings page (Mi Cloud, Google backup, Samsung Cloud) as the cloud-opt-out flow uses it: open it
 * by intent, switch every listed service off, and read each switch back.
 */
public final class CloudSettings {
    /** A switch whose "on" state means the user consents to {@code purpose}. */
    public record Toggle(String purpose, String resourceId, String label) {
        Locator locator() {
            return Locator.of(purpose + " switch", By.id(resourceId),
                    By.xpath("//android.widget.Switch[@text='" + label + "']"));
        }
    }

    /**
     * @param component the settings activity, {@code package/.Activity}
     * @param title     what the screen is called, for the report
     */
    public record Spec(String component, String title, List<Toggle> toggles) {
        public Spec {
            toggles = List.copyOf(toggles);
        }
    }

    private final Screens screens;
    private final FlowRecorder recorder;
    private final Spec spec;

    public CloudSettings(Screens screens, FlowRecorder recorder, Spec spec) {
        this.screens = screens;
        this.recorder = recorder;
        this.spec = spec;
    }

    /** @return one declined decision per switch, in screen order */
    public List<ConsentDecision> switchEverythingOff() {
        screens.start(spec.component());
        List<ConsentDecision> decisions = new ArrayList<>();
        screens.await(spec.toggles().get(0).locator());
        recorder.screen(spec.title(), screens.screenshot());
        for (Toggle t : spec.toggles()) {
            WebElement sw = screens.await(t.locator());
            if (Boolean.parseBoolean(sw.getAttribute("checked"))) {
                sw.click();
            }
            if (Boolean.parseBoolean(screens.await(t.locator()).getAttribute("checked"))) {
                throw new IllegalStateException("could not switch off " + t.purpose() + " on '" + spec.title()
                        + "': the switch stays on");
            }
            ConsentDecision d = new ConsentDecision(t.purpose(), false, spec.title(), t.resourceId(), Instant.now());
            recorder.consent(d);
            decisions.add(d);
        }
        recorder.screen(spec.title() + " (all off)", screens.screenshot());
        return decisions;
    }
}
