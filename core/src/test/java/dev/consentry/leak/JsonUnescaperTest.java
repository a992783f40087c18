package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonUnescaperTest {
    private record Out(String text, int[] dirty) {
    }

    private static List<Out> unescape(String s) {
        List<Out> out = new ArrayList<>();
        JsonUnescaper.unescape(s.getBytes(StandardCharsets.UTF_8),
                (d, dirty) -> out.add(new Out(new String(d, StandardCharsets.UTF_8), dirty)));
        return out;
    }

    @Test
    void stretchesBetweenEscapesAreKeptAndEachUndoneByteIsDirty() {
        Out o = unescape("{\"u\":\"https:\\/\\/h.example\\/v1\",\"n\":\"\\u00d1and\\u00fa\"}").get(0);
        assertEquals("{\"u\":\"https://h.example/v1\",\"n\":\"Ñandú\"}", o.text());
        // '/', '/', '/', then the two bytes of each of Ñ and ú in UTF-8.
        assertArrayEquals(new int[]{12, 13, 23, 33, 34, 38, 39}, o.dirty());
    }

    @Test
    void surrogatePairsBecomeOneCharacterALoneSurrogateAQuestionMark() {
        assertEquals("a😀b", unescape("a\\ud83d\\ude00b").get(0).text());
        assertArrayEquals(new int[]{1, 2, 3, 4}, unescape("a\\ud83d\\ude00b").get(0).dirty());
        assertEquals("a?b?", unescape("a\\ud83db\\ude00").get(0).text());
        assertEquals("?\\u", unescape("\\ud83d\\u").get(0).text());
    }

    @Test
    void backslashesThatEscapeNothingStayAndAloneYieldNothing() {
        assertEquals(List.of(), unescape("plain \\x \\u12 \\uZZZZ \\"));
        Out o = unescape("\\x\\\\\\n\\").get(0);
        assertEquals("\\x\\\n\\", o.text());
        assertArrayEquals(new int[]{2, 3}, o.dirty());
        assertEquals(List.of(), unescape(""));
    }
}
