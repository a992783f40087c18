package dev.consentry.allure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateKeyScrubTest {
    @TempDir
    Path results;

    @Test
    void cutsPrivateKeysOutOfEveryResultFileAndLeavesTheRestAlone() throws Exception {
        Path attachment = results.resolve("a-attachment.txt");
        Files.writeString(attachment, "ca:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n"
                + "-----BEGIN CERTIFICATE-----\nMIIDoT\n-----END CERTIFICATE-----\n");
        Path result = results.resolve("b-result.json");
        Files.writeString(result, "{\"name\":\"x\",\"log\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\"}");
        Path png = results.resolve("c-attachment.png");
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 1, 2};
        Files.write(png, image);

        assertThat(PrivateKeyScrub.scrub(results)).containsExactlyInAnyOrder(attachment, result);

        assertThat(Files.readString(attachment)).doesNotContain("MIIEow", "PRIVATE KEY").contains("MIIDoT");
        assertThat(Files.readString(result)).isEqualTo("{\"name\":\"x\",\"log\":\"[private key removed]\"}");
        assertThat(Files.readAllBytes(png)).isEqualTo(image);
    }
}
