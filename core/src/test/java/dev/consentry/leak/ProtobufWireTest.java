package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProtobufWireTest {
    /** field 1 varint 150; field 2 "abc"; field 3 fixed32; field 4 message { field 1 "xy" } */
    private static final byte[] MESSAGE = {
            0x08, (byte) 0x96, 0x01,
            0x12, 3, 'a', 'b', 'c',
            0x1d, 1, 2, 3, 4,
            0x22, 4, 0x0a, 2, 'x', 'y'};

    @Test
    void aWellFormedMessageParsesAndItsLengthDelimitedFieldsComeInOrder() {
        assertThat(ProtobufWire.parses(MESSAGE, 0, MESSAGE.length)).isTrue();
        List<int[]> fields = new ArrayList<>();
        ProtobufWire.eachLengthDelimited(MESSAGE, 0, MESSAGE.length,
                (number, start, length) -> fields.add(new int[]{number, start, length}));
        assertThat(fields).containsExactly(new int[]{2, 5, 3}, new int[]{4, 15, 4});
        assertThat(ProtobufWire.parses(MESSAGE, 15, 19)).isTrue(); // the nested message
    }

    @Test
    void itsNumberFieldsComeInOrderWithTheirValues() {
        byte[] m = LeakDetectorTest.concat(MESSAGE, new byte[]{0x29, 1, 0, 0, 0, 0, 0, 0, (byte) 0x80});
        List<long[]> fields = new ArrayList<>();
        List<int[]> delimited = new ArrayList<>();
        ProtobufWire.eachField(m, 0, m.length, (number, start, length) -> delimited.add(new int[]{number, start, length}),
                (number, wire, start, end, value) -> fields.add(new long[]{number, wire, start, end, value}));
        assertThat(delimited).containsExactly(new int[]{2, 5, 3}, new int[]{4, 15, 4});
        assertThat(fields).containsExactly(new long[]{1, 0, 1, 3, 150}, new long[]{3, 5, 9, 13, 0x04030201L},
                new long[]{5, 1, 20, 28, 0x8000000000000001L});
    }

    @Test
    void truncatedOrMalformedBytesDoNotParse() {
        assertThat(ProtobufWire.parses(MESSAGE, 0, MESSAGE.length - 1)).isFalse(); // a length past the end
        assertThat(ProtobufWire.parses(MESSAGE, 0, 2)).isFalse(); // a varint cut off
        assertThat(ProtobufWire.parses(new byte[]{0x0f, 1}, 0, 2)).isFalse(); // wire type 7
        assertThat(ProtobufWire.parses(new byte[]{0x00, 1}, 0, 2)).isFalse(); // field number 0
        assertThat(ProtobufWire.parses("{\"a\":1}".getBytes(), 0, 7)).isFalse();
        assertThat(ProtobufWire.parses(MESSAGE, 0, 0)).isFalse(); // no field at all
    }

    @Test
    void bytesReadThroughAFunctionParseAsTheSameBytesInAnArray() {
        java.util.Random r = new java.util.Random(3);
        for (int k = 0; k < 20_000; k++) {
            byte[] d = k < MESSAGE.length ? java.util.Arrays.copyOf(MESSAGE, k + 1) : new byte[1 + r.nextInt(12)];
            if (k >= MESSAGE.length) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (byte) (r.nextBoolean() ? r.nextInt(0x30) : r.nextInt(256)); // small tags and lengths
                }
            }
            assertThat(ProtobufWire.parses(i -> d[i], d.length)).as(java.util.HexFormat.of().formatHex(d))
                    .isEqualTo(ProtobufWire.parses(d, 0, d.length));
        }
    }
}
