package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void eachRoundKnowsItsEscapeCharactersAndWhetherTheNextRoundChangedAnything() {
        List<View> r = rounds("a%2541b+c%zz%4\\");
        assertEquals(Bytes.PERCENT | Bytes.BACKSLASH, r.get(0).knownEscapes());
        assertEquals(1, r.get(0).urlRound());
        assertTrue(r.get(0).urlMore());
        assertEquals(Bytes.PERCENT | Bytes.BACKSLASH, r.get(1).knownEscapes());
        assertEquals(2, r.get(1).urlRound());
        assertFalse(r.get(1).urlMore());
        assertEquals(0, rounds("hello+world%21").get(0).knownEscapes());
        assertEquals(Bytes.PLUS, rounds("a%2Bb").get(0).knownEscapes());
    }

    @Test
    void exploringARoundEmitsOnlyTheRoundsItsParentsLoopDidNotReach() {
        // Five layers of "%25" over "A": the loop emits rounds 1-3; exploring round k again gives rounds k+1..k+3,
        // of which only those past 3 are new (the others are the loop's own, one layer deeper).
        String five = "%4" + "1";
        for (int i = 0; i < 4; i++) {
            five = five.replace("%", "%25");
        }
        List<View> loop = rounds("x" + five);
        assertEquals(List.of("x%25252541", "x%252541", "x%2541"), loop.stream().map(UrlDecoderTest::text).toList());
        assertEquals(List.of("x%41"), decode(loop.get(0)).stream().map(UrlDecoderTest::text).toList());
        assertEquals(List.of("x%41", "xA"), decode(loop.get(1)).stream().map(UrlDecoderTest::text).toList());
        assertEquals(List.of("x%41", "xA"), decode(loop.get(2)).stream().map(UrlDecoderTest::text).toList());
        assertEquals(List.of(), decode(rounds("a%2541").get(1)));
        assertEquals(List.of(), decode(rounds("a%41").get(0)));
    }

    private static List<View> decode(View v) {
        List<View> out = new ArrayList<>();
        new UrlDecoder().decode(v, out::add);
        return out;
    }

    @Test
    void anEscapeAtTheVeryEndIsUndone() {
        List<View> r = rounds("x%41");
        assertEquals("xA", text(r.get(0)));
        assertArrayEquals(new int[]{1}, r.get(0).dirty());
    }

    /** Knows of one pattern, "Canary Name"; runs of 16 base64 characters are read, fields of 16 bytes parsed. */
    private static final EscapeNeighbours NEIGHBOURS = new EscapeNeighbours(
            List.of("Canary Name".getBytes(StandardCharsets.US_ASCII)), 16, 16);

    private static List<View> firstRounds(String s) {
        List<View> out = new ArrayList<>();
        View root = View.root(s.getBytes(StandardCharsets.ISO_8859_1), "");
        new UrlDecoder(NEIGHBOURS).decode(root, out::add);
        assertEquals(Bytes.escapes(root.data()), root.knownEscapes()); // told its parent what it saw, built or not
        return out;
    }

    @Test
    void aRoundThatCouldChangeNothingIsNotBuilt() {
        assertEquals(0, firstRounds("a=1&q=hello+world%21&t=2").size());
        assertEquals(1, rounds("a=1&q=hello+world%21&t=2").size()); // without the neighbours: built
    }

    @Test
    void aRoundIsBuiltWhenAnEscapeCouldBePartOfAMatch() {
        assertEquals("a=1&n=Canary Name", text(firstRounds("a=1&n=Canary+Name").get(0)));
    }

    @Test
    void aRoundIsBuiltWhenAnEscapeBordersALongBase64Run() {
        String run = "QUJDREVGR0hJSktMTU5PUA";
        assertEquals(1, firstRounds("a=1&q=" + run + "%21&t=2").size());
        assertEquals(1, firstRounds("a=1&q=%21" + run + "&t=2").size());
        assertEquals(0, firstRounds("a=1&q=" + run + "&r=%21&t=2").size());
    }

    @Test
    void aRoundIsBuiltWhenItParsesAsProtobuf() {
        // Field 4, 48 bytes: '"', '0' and 48 bytes; the body itself does not parse (a '%21' is three bytes).
        String content = "abc.def.ghi.jkl%21mno.pqr.stu.vwx.yz0.123.456.789.";
        assertEquals(48, content.length() - 2);
        assertEquals(1, firstRounds("\"0" + content).size());
        assertEquals(0, firstRounds("\"1" + content).size());
        // Field 4 of 32 bytes, then field 13, a varint: read past the escape, where the body is two bytes ahead.
        String field = "abc.def.ghi.jkl%21mno.pqr.stu.vw~~";
        assertEquals(1, firstRounds("\" " + field + "h1").size());
        assertEquals(0, firstRounds("\" " + field + "~1").size());
    }

    @Test
    void aRoundIsBuiltWhenItsStartCouldBeDecompressedOrSplit() {
        assertEquals(1, firstRounds("x^ab=hello+world%21").size()); // zlib's header
        assertEquals(1, firstRounds("--ab=hello+world%21").size()); // a multipart delimiter
        assertEquals(0, firstRounds("-xab=hello+world%21").size());
    }
}
