package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.HttpHeader;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static dev.consentry.leak.GrpcFramingTest.field;
import static dev.consentry.leak.GrpcFramingTest.frame;
import static dev.consentry.leak.LeakDetectorTest.concat;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.single;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Canaries that are numbers, sent in a protobuf message's number fields: no digit characters to search. */
class WireNumbersTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final Canary PHONE = Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001");
    private static final Canary ANDROID_ID = Canary.of(CanaryKind.ANDROID_ID, "9f3c2a71b04e5d86");
    private static final Canary MAC = Canary.of(CanaryKind.WIFI_MAC, "64:09:80:1a:2b:3c");
    private static final Canary EMAIL = Canary.of(CanaryKind.ACCOUNT_EMAIL, "li.wei@example.com");
    private static final LeakDetector DETECTOR = new LeakDetector(List.of(IMEI, PHONE, ANDROID_ID, MAC, EMAIL));
    private static final List<HttpHeader> PROTOBUF = List.of(new HttpHeader("Content-Type", "application/x-protobuf"));

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    static byte[] varintField(int number, long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) number << 3);
        varint(o, v);
        return o.toByteArray();
    }

    static byte[] fixed64Field(int number, long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) number << 3 | 1);
        for (int k = 0; k < 8; k++) {
            o.write((int) (v >>> 8 * k));
        }
        return o.toByteArray();
    }

    /** libphonenumber's PhoneNumber: country_code (1, int32), national_number (2, uint64). */
    static byte[] phoneNumber(int countryCode, long national) {
        return concat(varintField(1, countryCode), varintField(2, national));
    }

    private static Finding found(byte[] body, Canary canary) {
        List<Finding> all = DETECTOR.scan(flow("/v1/sync", PROTOBUF, body));
        return single(all.stream().filter(f -> f.canary().equals(canary)).toList());
    }

    @Test
    void aPhoneNumberAsLibphonenumbersMessageNestedInAContact() {
        byte[] contact = concat(field(1, utf8("Li Wei")), field(3, phoneNumber(91, 9_876_500_001L)),
                varintField(4, 1_732_000_000_000L));
        Finding f = found(contact, PHONE);
        assertThat(f.transforms()).containsExactly("protobuf", "varint");
        assertThat(f.form()).isEqualTo("9876500001");
        assertThat(f.offset()).isZero();
        assertThat(f.location()).isEqualTo("body");
    }

    @Test
    void theImeiAsVarintZigzagAndFixed64() {
        long imei = 865_123_045_678_901L;
        assertThat(found(concat(field(1, utf8("app")), varintField(2, imei)), IMEI).transforms())
                .containsExactly("protobuf", "varint");
        assertThat(found(concat(field(1, utf8("app")), varintField(2, imei << 1)), IMEI).transforms())
                .containsExactly("protobuf", "zigzag");
        Finding fixed = found(concat(field(1, utf8("app")), fixed64Field(7, imei)), IMEI);
        assertThat(fixed.transforms()).containsExactly("protobuf", "fixed64");
        assertThat(fixed.form()).isEqualTo("865123045678901");
        // Without its check digit, as the 14-digit form.
        assertThat(found(varintField(2, imei / 10), IMEI).form()).isEqualTo("86512304567890");
    }

    @Test
    void hexIdentifiersAsTheNumbersTheySpell() {
        Finding id = found(concat(field(1, utf8("app")), fixed64Field(3, Long.parseUnsignedLong("9f3c2a71b04e5d86", 16))),
                ANDROID_ID);
        assertThat(id.transforms()).containsExactly("protobuf", "fixed64");
        assertThat(id.form()).isEqualTo("9f3c2a71b04e5d86");
        Finding mac = found(varintField(5, 0x6409801a2b3cL), MAC);
        assertThat(mac.transforms()).containsExactly("protobuf", "varint");
    }

    @Test
    void underTheOtherLayers() {
        byte[] message = concat(field(1, utf8("app")), varintField(2, 865_123_045_678_901L));
        assertThat(found(gzip(message), IMEI).transforms()).containsExactly("gzip", "protobuf", "varint");
        byte[] json = utf8("{\"payload\":\"" + Base64.getEncoder().encodeToString(message) + "\"}");
        assertThat(single(DETECTOR.scan(flow("/v1/log", List.of(), json))).transforms())
                .containsExactly("base64", "protobuf", "varint");
        List<HttpHeader> grpc = List.of(new HttpHeader("content-type", "application/grpc"));
        assertThat(single(DETECTOR.scan(flow("/s/Lookup", grpc, frame(0, phoneNumber(91, 9_876_500_001L)))))
                .transforms()).containsExactly("protobuf", "varint");
        // One layer too many: gzip of base64 of a message is depth 4 with the number.
        byte[] deep = utf8("{\"payload\":\"" + Base64.getEncoder().encodeToString(gzip(message)) + "\"}");
        assertThat(DETECTOR.scan(flow("/v1/log", List.of(), deep))).isEmpty();
    }

    @Test
    void aMessageOfOneNumberAloneIsShorterThanAnyOtherDecodedView() {
        byte[] body = varintField(2, 9_876_500_001L); // 6 bytes
        assertThat(body).hasSize(6);
        assertThat(found(body, PHONE).transforms()).containsExactly("protobuf", "varint");
        assertThat(found(phoneNumber(91, 9_876_500_001L), PHONE).transforms()).containsExactly("protobuf", "varint");
    }

    @Test
    void otherNumbersAndNearMissesAreNoFinding() {
        long imei = 865_123_045_678_901L;
        Random r = new Random(7);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            long v = switch (i % 4) {
                case 0 -> 1_400_000_000_000L + r.nextInt(1 << 30); // timestamps
                case 1 -> r.nextLong();
                case 2 -> imei + 1 + r.nextInt(1000); // near the IMEI, not it
                default -> r.nextInt(1_000_000);
            };
            o.writeBytes(i % 3 == 0 ? fixed64Field(1 + i % 15, v) : varintField(1 + i % 15, v));
        }
        assertThat(DETECTOR.scan(flow("/v1/metrics", PROTOBUF, o.toByteArray()))).isEmpty();
    }

    static byte[] fixed32Field(int number, int v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) number << 3 | 5);
        for (int k = 0; k < 4; k++) {
            o.write(v >>> 8 * k);
        }
        return o.toByteArray();
    }

    @Test
    void aPhoneNumberInAFixed32IsNotRead() {
        // French national number 612345678 fits in 32 bits; as a fixed32 it is left unread (see WireNumbers), as a
        // varint it is found.
        Canary fr = Canary.of(CanaryKind.CONTACT_PHONE, "+33612345678");
        LeakDetector d = new LeakDetector(List.of(fr));
        byte[] app = field(1, utf8("app"));
        assertThat(d.scan(flow("/v1/sync", PROTOBUF, concat(app, fixed32Field(2, 612_345_678))))).isEmpty();
        assertThat(single(d.scan(flow("/v1/sync", PROTOBUF, concat(app, varintField(2, 612_345_678L)))))
                .transforms()).containsExactly("protobuf", "varint");
    }

    @Test
    void aLocationAsFloatsAndSfixed32E7() {
        Canary rio = Canary.of(CanaryKind.LOCATION, "-22.90685,-43.17290");
        LeakDetector d = new LeakDetector(List.of(rio));
        byte[] drone = field(1, utf8("fix"));
        // float latitude, longitude, as embedded SDKs send them; -22.90685f reads back as its own shortest text.
        Finding f = single(d.scan(flow("/v1/fix", PROTOBUF, concat(drone,
                fixed32Field(2, Float.floatToIntBits(-22.906853f))))));
        assertThat(f.transforms()).containsExactly("protobuf", "float");
        assertThat(f.form()).isEqualTo("-22.90685");
        // sfixed32 E7 and E6, fixed-width as embedded formats (MAVLink's int32 lat, lon) carry them; rounded too.
        Finding e7 = single(d.scan(flow("/v1/fix", PROTOBUF, concat(drone, fixed32Field(3, -431_728_960)))));
        assertThat(e7.transforms()).containsExactly("protobuf", "sfixed32-e7");
        assertThat(e7.form()).isEqualTo("-43.17290");
        Finding e6 = single(d.scan(flow("/v1/fix", PROTOBUF, fixed32Field(3, -22_906_851))));
        assertThat(e6.transforms()).containsExactly("protobuf", "sfixed32-e6");
        // The positive twin, about 100 m off, zero, NaN and a float out of range are none.
        assertNoneIn(d, IntStream.of(431_729_040, -431_739_040, 0, Float.floatToIntBits(-22.9078f),
                Float.floatToIntBits(Float.NaN), Float.floatToIntBits(-1e30f)).mapToObj(v -> fixed32Field(3, v)));
    }

    @Test
    void aFixed32WhoseBytesCouldAllBeTextIsNotRead() {
        Canary north = Canary.of(CanaryKind.LOCATION, "61.21375,-149.90028");
        LeakDetector d = new LeakDetector(List.of(north));
        // 612137560 (61.2137560 degrees in E7) is 0x247C7A58, sent as "Xz|$": text that parses as a message holds such
        // bytes by chance (a header value "eXz|$" is field 12, wire type 5), so it is not read.
        assertThat(ProtobufWire.fixed32CouldBeText(612_137_560)).isTrue();
        assertThat(d.scan(flow("/v1/fix", PROTOBUF, fixed32Field(1, 612_137_560)))).isEmpty();
        // 612137500 is 0x247C7A1C: its 0x1c is no text, so it is read, to the same 61.21375.
        Finding f = single(d.scan(flow("/v1/fix", PROTOBUF, fixed32Field(1, 612_137_500))));
        assertThat(f.transforms()).containsExactly("protobuf", "sfixed32-e7");
        assertThat(f.form()).isEqualTo("61.21375");
        assertThat(ProtobufWire.fixed32CouldBeText(0x0a0d0920)).as("tab, line breaks and space are text").isTrue();
        assertThat(ProtobufWire.fixed32CouldBeText(0x4141417f)).as("DEL is not").isFalse();
    }

    @Test
    void smallNumbersAreNotCanaryNumbers() {
        // A canary whose digits form is under a million is searched as text only: counters and ids that size abound.
        Canary shortPhone = Canary.of(CanaryKind.CONTACT_PHONE, "555012");
        LeakDetector d = new LeakDetector(List.of(shortPhone));
        assertThat(d.scan(flow("/v1/sync", PROTOBUF, concat(field(1, utf8("app")), varintField(2, 555_012L)))))
                .isEmpty();
        assertThat(new WireNumbers(List.of(shortPhone), List.of(CanaryForms.of(shortPhone))).any()).isFalse();
        assertThat(new WireNumbers(List.of(EMAIL), List.of(CanaryForms.of(EMAIL))).any()).isFalse();
    }

    static byte[] doubleField(int number, double v) {
        return fixed64Field(number, Double.doubleToLongBits(v));
    }

    @Test
    void aLocationAsGooglesLatLngDoubles() {
        Canary home = Canary.of(CanaryKind.LOCATION, "12.9716,77.5946");
        LeakDetector d = new LeakDetector(List.of(home));
        // google.type.LatLng: latitude (1, double), longitude (2, double); a fix carries more decimals than given.
        byte[] latLng = concat(doubleField(1, 12.971642), doubleField(2, 77.594571));
        Finding f = single(d.scan(flow("/v1/fix", PROTOBUF, concat(field(1, utf8("gps")), field(2, latLng)))));
        assertThat(f.transforms()).containsExactly("protobuf", "double");
        assertThat(f.form()).isIn("12.9716", "77.5946");
        // 12.9716 is stored as 12.97159999...: its shortest text decides, as a client printing it would.
        assertThat(single(d.scan(flow("/v1/fix", PROTOBUF, doubleField(1, 12.9716)))).form()).isEqualTo("12.9716");
        // Rounded as well as truncated: 77.59457 rounds to 77.5946 (truncated, 77.5945).
        assertThat(single(d.scan(flow("/v1/fix", PROTOBUF, doubleField(2, 77.59457)))).form()).isEqualTo("77.5946");
        // Someone else's position (about 100 m off), a negative twin, zero and NaN are none.
        assertNoneIn(d, DoubleStream.of(12.9725, 77.5935, -12.9716, 0, Double.NaN, 1e300, 12.97)
                .mapToObj(v -> doubleField(1, v)));
    }

    @Test
    void aSouthernWesternLocationToo() {
        Canary rio = Canary.of(CanaryKind.LOCATION, "-22.90685,-43.17290");
        LeakDetector d = new LeakDetector(List.of(rio));
        Finding f = single(d.scan(flow("/v1/fix", PROTOBUF, doubleField(2, -43.172904))));
        assertThat(f.transforms()).containsExactly("protobuf", "double");
        assertThat(f.form()).isEqualTo("-43.17290");
        // An E7 below zero: an int32 goes out as ten bytes, the 64-bit two's complement, and reads as signed.
        Finding e7 = single(d.scan(flow("/v1/fix", PROTOBUF, varintField(2, -431_729_040L))));
        assertThat(e7.transforms()).containsExactly("protobuf", "e7");
        assertThat(e7.form()).isEqualTo("-43.17290");
        assertThat(d.scan(flow("/v1/fix", PROTOBUF, varintField(2, 431_729_040L)))).isEmpty();
    }

    @Test
    void aLocationAsE7AndE6Varints() {
        Canary home = Canary.of(CanaryKind.LOCATION, "12.9716,77.5946");
        LeakDetector d = new LeakDetector(List.of(home));
        // int32 latitude_e7, longitude_e7 as Google's location messages have them; the fix has more decimals.
        Finding f = single(d.scan(flow("/v1/fix", PROTOBUF, concat(field(1, utf8("wifi")),
                field(2, varintField(1, 129_716_420L))))));
        assertThat(f.transforms()).containsExactly("protobuf", "e7");
        assertThat(f.form()).isEqualTo("12.9716");
        // Rounded as well as truncated: 77.59457 rounds to 77.5946.
        assertThat(single(d.scan(flow("/v1/fix", PROTOBUF, varintField(2, 775_945_700L)))).form())
                .isEqualTo("77.5946");
        Finding e6 = single(d.scan(flow("/v1/fix", PROTOBUF, varintField(1, 12_971_642L))));
        assertThat(e6.transforms()).containsExactly("protobuf", "e6");
        assertThat(e6.form()).isEqualTo("12.9716");
        // About 100 m off, the negative twin, a millisecond timestamp, the canary in E5, and E6 under a million.
        assertNoneIn(d, LongStream.of(129_725_000L, 775_935_000L, -129_716_000L, 1_764_000_000_000L, 1_297_160L, 0L,
                500_000L).mapToObj(v -> varintField(1, v)));
    }

    /** The fields, sent as one message, hold no canary. */
    private static void assertNoneIn(LeakDetector d, Stream<byte[]> fields) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        fields.forEach(message::writeBytes);
        assertThat(d.scan(flow("/v1/fix", PROTOBUF, message.toByteArray()))).isEmpty();
    }

    @Test
    void aPlantedLocationAsE7InText() {
        Canary home = Canary.of(CanaryKind.LOCATION, "12.9716,77.5946");
        LeakDetector d = new LeakDetector(List.of(home));
        // Location History's JSON: what a planted location sends, whole numbers with no decimal point to search for.
        Finding f = single(d.scan(flow("/upload", List.of(new HttpHeader("Content-Type", "application/json")),
                utf8("{\"timestampMs\":\"1764000000000\",\"latitudeE7\":129716000,\"accuracy\":12}"))));
        assertThat(f.form()).isEqualTo("129716000");
        assertThat(f.transforms()).isEmpty();
    }

    @Test
    void zigzagIsSint64sDecoding() {
        assertThat(WireNumbers.zigzag(0)).isZero();
        assertThat(WireNumbers.zigzag(1)).isEqualTo(-1);
        assertThat(WireNumbers.zigzag(2)).isEqualTo(1);
        assertThat(WireNumbers.zigzag(2 * 865_123_045_678_901L)).isEqualTo(865_123_045_678_901L);
        assertThat(WireNumbers.zigzag(-1L)).isEqualTo(Long.MIN_VALUE);
    }
}
