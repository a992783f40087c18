package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.consentry.leak.LeakDetectorTest.DETECTOR;
import static dev.consentry.leak.LeakDetectorTest.IMEI;
import static dev.consentry.leak.LeakDetectorTest.concat;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.percentAll;
import static dev.consentry.leak.LeakDetectorTest.single;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views with escapes throughout ('+' between every word of a large form, a JSON string of \\u escapes): their dirty
 * bytes are not listed one by one (four bytes each, up to four times the view), and they are searched and decoded
 * as new as a whole, streams starting anywhere in them.
 */
class DenseEscapesTest {
    @Test
    void theListHoldsOnePositionPerSixteenBytesThenStandsForEveryByte() {
        DirtyList few = new DirtyList(1600);
        for (int i = 0; i < 100; i++) {
            few.add(i * 3);
        }
        assertThat(few.toArray()).hasSize(100).startsWith(0, 3, 6).endsWith(297);
        few.add(400);
        assertThat(few.toArray()).isSameAs(View.EVERYWHERE);
        few.add(401);
        assertThat(few.toArray()).isSameAs(View.EVERYWHERE);

        DirtyList small = new DirtyList(10); // short inputs keep up to 64
        for (int i = 0; i < 64; i++) {
            small.add(i);
        }
        assertThat(small.toArray()).hasSize(64);
        DirtyList carried = new DirtyList(1000);
        carried.everywhere();
        carried.add(1);
        assertThat(carried.toArray()).isSameAs(View.EVERYWHERE);
    }

    @Test
    void aFormWithPlusEverywhereIsOneViewDirtyThroughoutAndSearchedWhole() {
        byte[] body = utf8("q=" + "a+".repeat(100_000) + "&id=" + percentAll(IMEI.value()));
        assertThat(urlRounds(body)).singleElement().satisfies(v -> {
            assertThat(v.dirtyEverywhere()).isTrue();
            assertThat(v.dirty()).isNull();
        });
        assertThat(single(DETECTOR.scan(flow("/", List.of(), body))).transforms()).containsExactly("url");
    }

    @Test
    void aStreamInsideAViewDirtyThroughoutIsFoundWhereverItStarts() {
        byte[] body = utf8("a=" + "x+".repeat(50_000) + "&d=" + percentBytes(gzip(utf8("imei=" + IMEI.value()))));
        assertThat(urlRounds(body).get(0).dirtyEverywhere()).isTrue();
        assertThat(single(DETECTOR.scan(flow("/", List.of(), body))).transforms()).containsExactly("url", "gzip");
    }

    @Test
    void aSecondRoundOfAViewDirtyThroughoutIsDirtyThroughoutToo() {
        // Round 1 turns every %25 into '%' (escapes throughout), round 2 undoes the IMEI's escapes: its bytes are
        // dirty against the body although round 2 itself undid only a few.
        byte[] body = utf8("a=" + "%2541".repeat(40_000) + "&id=" + percentAll(percentAll(IMEI.value())));
        List<View> rounds = urlRounds(body);
        assertThat(rounds).hasSize(2).allMatch(View::dirtyEverywhere);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), body))).transforms()).containsExactly("url");
    }

    @Test
    void jsonEscapesThroughoutMakeOneViewDirtyThroughout() {
        StringBuilder s = new StringBuilder("{\"pad\":\"");
        s.append("\\u0041".repeat(30_000)).append("\",\"id\":\"");
        IMEI.value().chars().forEach(c -> s.append(String.format("\\u%04x", c)));
        byte[] body = utf8(s.append("\"}").toString());
        List<View> out = new ArrayList<>();
        new JsonUnescaper().decode(View.root(body, ""), out::add);
        assertThat(out).singleElement().matches(View::dirtyEverywhere);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), concat(body)))).transforms()).containsExactly("json");
    }

    private static String percentBytes(byte[] b) {
        StringBuilder out = new StringBuilder();
        for (byte x : b) {
            out.append('%').append(String.format("%02X", x & 0xff));
        }
        return out.toString();
    }

    private static List<View> urlRounds(byte[] body) {
        List<View> out = new ArrayList<>();
        new UrlDecoder().decode(View.root(body, ""), out::add);
        return out;
    }
}
