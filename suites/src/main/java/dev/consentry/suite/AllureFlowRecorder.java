package dev.consentry.suite;

import io.qameta.allure.Allure;

import java.io.ByteArrayInputStream;

/** Each screen becomes an Allure step with its screenshot; each consent decision a step of its own. */
public final class AllureFlowRecorder implements FlowRecorder {
    @Override
    public void screen(String name, byte[] screenshot) {
        Allure.step("Screen: " + name,
                () -> Allure.addAttachment(name, "image/png", new ByteArrayInputStream(screenshot), ".png"));
    }

    @Override
    public void consent(ConsentDecision d) {
        Allure.step("Consent " + d.purpose() + ": " + (d.granted() ? "granted" : "declined") + " on '" + d.screen()
                + "' (" + d.control() + ")");
    }
}
