package dev.consentry.mitm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TnetstringTest {

    private static Object one(String s) {
        return Tnetstring.parseAll(s.getBytes(StandardCharsets.UTF_8), "t.mitm");
    }

    private static List<Object> all(byte[] file, long max) throws IOException {
        Tnetstring t = new Tnetstring(new ByteArrayInputStream(file), "f.mitm", max);
        List<Object> out = new ArrayList<>();
        Object v;
        while ((v = t.next()) != Tnetstring.end()) {
            out.add(v);
        }
        return out;
    }

    @Test
    void readsEveryTypeAsMitmproxyWritesIt() {
        assertThat((byte[]) one("3:a\u0000b,")).containsExactly('a', 0, 'b');
        assertThat(one("0:,")).isEqualTo(new byte[0]);
        assertThat(one("4:h\u00e9l;")).isEqualTo("hél"); // 5 bytes of UTF-8
        assertThat(one("0:;")).isEqualTo("");
        assertThat(one("5:12345#")).isEqualTo(12345L);
        assertThat(one("2:-7#")).isEqualTo(-7L);
        assertThat(one("3:007#")).isEqualTo(7L); // Python's int(b"007")
        assertThat(one("18:1795610855.0013752^")).isEqualTo(1795610855.0013752);
        assertThat(one("7:-2.5e-3^")).isEqualTo(-0.0025);
        assertThat(one("4:true!")).isEqualTo(true);
        assertThat(one("5:false!")).isEqualTo(false);
        assertThat(one("0:~")).isNull();
    }

    @Test
    void readsNestedListsAndDictionariesInOrder() {
        Object v = one("46:4:type;4:http;1:a;14:1:1#0:~4:1:x,]]4:meta;0:}}");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("type", "a", "meta");
        assertThat(m.get("type")).isEqualTo("http");
        List<?> a = (List<?>) m.get("a");
        assertThat(a).hasSize(3);
        assertThat(a.get(0)).isEqualTo(1L);
        assertThat(a.get(1)).isNull();
        assertThat((List<?>) a.get(2)).singleElement().isEqualTo(new byte[]{'x'});
        assertThat((Map<?, ?>) m.get("meta")).isEmpty();
        assertThat(one("0:]")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3:abc?                | byte 5: unknown type byte",
            "3:1.5#                | byte 2: integer literal not read here",
            "4:+1_0#               | byte 2: integer literal not read here",
            "19:1234567890123456789# | byte 3: integer literal not read here",
            "3:inf^                | byte 2: float literal not read here",
            "8:1e999999^           | byte 2: float literal not read here",
            "6:1e9999^             | byte 2: float literal out of range",
            "4:True!               | byte 2: invalid boolean literal",
            "1:x~                  | byte 2: invalid null literal",
            "6:3:abc,]x            | trailing bytes",
            "6:9:abc,]             | byte 2: length 9 runs past the enclosing value",
            "5:a:bc,]              | byte 2: missing or invalid length prefix",
            "8: 1:a,0:,]           | byte 2: missing or invalid length prefix",
            "7:1:a,0:;}            | byte 2: dictionary key is not text",
            "4:1:a;}               | byte 6: dictionary key without a value",
            "15:1:a;0:~1:a;1:1#}   | byte 10: repeated dictionary key 'a'",
            ":0:,                  | byte 0: missing or invalid length prefix",
    })
    void refusesWhatMitmproxyWouldReadDifferentlyOrNotAtAllNamingFileAndByte(String input, String problem) {
        String in = input.strip();
        assertThatThrownBy(() -> one(in)).isInstanceOf(Tnetstring.TnetstringException.class)
                .hasMessageStartingWith("t.mitm: ").hasMessageContaining(problem.strip());
    }

    @Test
    void refusesTextThatIsNotUtf8AndSurrogatesPythonsDecoderAlsoRefuses() {
        byte[] latin = {'2', ':', (byte) 0xe9, 'a', ';'};
        byte[] surrogate = {'3', ':', (byte) 0xed, (byte) 0xa0, (byte) 0x80, ';'};
        for (byte[] b : List.of(latin, surrogate)) {
            assertThatThrownBy(() -> Tnetstring.parseAll(b, "t.mitm"))
                    .hasMessage("t.mitm: byte 2: text is not UTF-8");
        }
    }

    @Test
    void refusesNestingDeeperThanItsLimit() {
        String v = "0:]";
        for (int i = 0; i < Tnetstring.MAX_DEPTH + 1; i++) {
            v = v.length() + ":" + v + "]";
        }
        String deep = v;
        assertThatThrownBy(() -> one(deep)).hasMessageContaining("nested deeper than " + Tnetstring.MAX_DEPTH);
    }

    @Test
    void readsTopLevelValuesOneAfterAnotherAndEndsExactlyBetweenThem() throws IOException {
        byte[] file = "1:a,2:bc;0:}".getBytes(StandardCharsets.US_ASCII);
        assertThat(all(file, 100)).hasSize(3);
        assertThat(all(new byte[0], 100)).isEmpty();
    }

    @Test
    void namesTheFileAndTheByteWhereATruncatedOrDamagedValueStarts() throws IOException {
        byte[] file = "1:a,10:0123456789,".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 5; cut < file.length; cut++) {
            Tnetstring t = new Tnetstring(new ByteArrayInputStream(Arrays.copyOf(file, cut)), "f.mitm", 100);
            assertThat(t.next()).isEqualTo(new byte[]{'a'});
            assertThatThrownBy(t::next).isInstanceOf(Tnetstring.TnetstringException.class)
                    .hasMessageStartingWith("f.mitm: byte ").hasMessageContaining("cut off");
            assertThat(t.valueStart()).isEqualTo(4);
        }
        Tnetstring t = new Tnetstring(new ByteArrayInputStream("1:a,x".getBytes(StandardCharsets.US_ASCII)),
                "f.mitm", 100);
        t.next();
        assertThatThrownBy(t::next).hasMessage("f.mitm: byte 4: missing or invalid length prefix");
        assertThat(t.valueStart()).isEqualTo(4);
    }

    @Test
    void refusesAbsurdLengthsBeforeReadingThem() {
        assertThatThrownBy(() -> all("1234567890123:".getBytes(StandardCharsets.US_ASCII), 100))
                .hasMessage("f.mitm: byte 0: length prefix longer than 12 digits");
        assertThatThrownBy(() -> all("101:".getBytes(StandardCharsets.US_ASCII), 100))
                .hasMessage("f.mitm: byte 0: value of 101 bytes, more than the 100 read here");
    }
}
