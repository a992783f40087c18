package dev.consentry.suite;

import dev.consentry.lab.LabParameters;
import dev.consentry.pages.DialectPages;
import dev.consentry.prep.CanaryContact;
import org.testng.ITestContext;
import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Contact import: push a vCard of fresh canary contacts, open it with a VIEW intent, confirm the contacts app's
 * dialog, check the contacts arrived, idle, and check that neither they nor the planted ones left the handset.
 */
public class ContactImportTest {
    public static final String FLOW = "contact-import";
    /** Where a downloaded vCard lands; cleanup removes what the run left here. */
    static final String VCARD_PATH = "/sdcard/Download/consentry-canaries.vcf";

    @Test(dataProvider = Handsets.NAME, dataProviderClass = Handsets.class, groups = FLOW,
            description = "Import a vCard of canary contacts")
    public void importedContactsStayOnTheHandset(String profile, ITestContext context) {
        List<CanaryContact> card = CanaryContact.generate(2);
        new FlowHarness(LabParameters.from(context)).run(profile, FLOW, card, (driver, device, recorder) -> {
            SetupState.requireSetUp(driver, FLOW);
            driver.executeScript("mobile: pushFile", Map.of("remotePath", VCARD_PATH, "payload",
                    Base64.getEncoder().encodeToString(Vcard.of(card).getBytes(StandardCharsets.UTF_8))));
            new DialectPages(device.uiDialect(), driver, recorder, Duration.ofSeconds(30)).contacts()
                    .importVcard(VCARD_PATH, card.stream().map(CanaryContact::name).toList(), Duration.ofSeconds(10));
            return List.of();
        });
    }
}
