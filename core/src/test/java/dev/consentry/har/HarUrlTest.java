package dev.consentry.har;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HarUrlTest {

    @Test
    void anExplicitPortIsReadAndADefaultOneFollowsTheScheme() {
        assertThat(HarReader.Url.parse("https://api.account.xiaomi.com:8443/pass/v3?x=1#frag"))
                .contains(new HarReader.Url("https", "api.account.xiaomi.com", 8443, "/pass/v3?x=1"));
        assertThat(HarReader.Url.parse("http://[::1]:0/")).contains(new HarReader.Url("http", "::1", 0, "/"));
        assertThat(HarReader.Url.parse("wss://user@h.example:65535")).contains(new HarReader.Url("wss", "h.example", 65535, "/"));
        assertThat(HarReader.Url.parse("HTTPS://h.example/a")).contains(new HarReader.Url("https", "h.example", 443, "/a"));
        assertThat(HarReader.Url.parse("ws://h.example?q")).contains(new HarReader.Url("ws", "h.example", 80, "/?q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://h.example:65536/", "https://h.example:123456/", "https://h.example:8o/",
            "https://h.example:-1/", "https://h.example:+80/", "https://h.example:\u0661\u0662/", "ftp://h.example/",
            "https://:443/", "https://[::1/", "no-scheme/path"})
    void aPortThatIsNotOneToFiveDigitsInRangeOrAnUnknownDefaultIsNoUrl(String url) {
        assertThat(HarReader.Url.parse(url)).isEmpty();
    }
}
