package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlDecoderTest {
    private static List<View> rounds(String s) {
        List<View> out = new ArrayList<>();
        new UrlDecoder().decode(View.root(s.getBytes(StandardCharsets.ISO_8859_1), ""), out::add);
        return out;
    }

    private static String text(View v) {
        return new String(v.data(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void eachRoundMarksWhatCameOutOfAnEscapeThenOrInAnEarlierRound() {
        List<View> r = rounds("a%2541b+c%zz%4");
        assertEquals(2, r.size());
        assertEquals("a%41b c%zz%4", text(r.get(0)));
        assertArrayEquals(new int[]{1, 5}, r.get(0).dirty());
        assertEquals("aAb c%zz%4", text(r.get(1)));
        assertArrayEquals(new int[]{1, 3}, r.get(1).dirty());
    }

    @Test
    void textWithoutEscapesHasNoRound() {
        assertEquals(0, rounds("plain text, 100% of it: %g0").size());
    }

    @Test
    void anEscapeAtTheVeryEndIsUndone() {
        List<View> r = rounds("x%41");
        assertEquals("xA", text(r.get(0)));
        assertArrayEquals(new int[]{1}, r.get(0).dirty());
    }
}
