package dev.consentry.grid;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TomlTest {
    @Test
    void jsonGoesIntoALiteralStringUntouched() {
        String json = "{\"appium:app\":\"C:\\\\apps\\\\fake.xml\",\"lab:profile\":\"b\"}";
        assertThat(Toml.string(json)).isEqualTo("'" + json + "'");
        assertThat(TomlStrings.parse(Toml.string(json))).isEqualTo(json);
    }

    @Test
    void singleQuoteFallsBackToAnEscapedBasicString() {
        String json = "{\"lab:profile\":\"o'brien \\\"x\\\"\"}";
        String toml = Toml.string(json);
        assertThat(toml).startsWith("\"").isEqualTo("\"{\\\"lab:profile\\\":\\\"o'brien \\\\\\\"x\\\\\\\"\\\"}\"");
        assertThat(TomlStrings.parse(toml)).isEqualTo(json);
    }

    @Test
    void controlCharactersAreEscaped() {
        String value = "a\tb\nc\u0001d\u007f";
        assertThat(Toml.literalAllowed("a\tb")).isTrue();
        assertThat(Toml.string(value)).isEqualTo("\"a\\tb\\nc\\u0001d\\u007F\"");
        assertThat(TomlStrings.parse(Toml.string(value))).isEqualTo(value);
    }

    @Test
    void nonAsciiStaysAsIs() {
        assertThat(Toml.string("Redmi 1S – 小米")).isEqualTo("'Redmi 1S – 小米'");
        assertThat(Toml.basic("小米\"")).isEqualTo("\"小米\\\"\"");
    }
}
