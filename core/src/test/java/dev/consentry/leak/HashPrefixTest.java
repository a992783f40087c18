package dev.consentry.leak;

import dev.consentry.canary.Canary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static dev.consentry.leak.TransformTableTest.DETECTOR;
import static dev.consentry.leak.TransformTableTest.EVERY_KIND;
import static dev.consentry.leak.TransformTableTest.digest;
import static dev.consentry.leak.TransformTableTest.protobuf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Digests of every kind, whole or truncated to 64, 96 or 128 bits, in each text encoding senders use, and as raw bytes
 * in a protobuf field.
 */
class HashPrefixTest {
    record Algorithm(String jdk, String name, int bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Encoding(String name, String chainStep, Function<byte[], String> text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Algorithm> ALGORITHMS = List.of(new Algorithm("MD5", "md5", 16),
            new Algorithm("SHA-1", "sha1", 20), new Algorithm("SHA-256", "sha256", 32),
            new Algorithm("SHA-512", "sha512", 64));
    /** Truncations in bits; 0 for the whole digest. */
    static final List<Integer> BITS = List.of(64, 96, 128, 0);
    static final List<Encoding> ENCODINGS = List.of(
            new Encoding("hex lower", "hex", b -> HexFormat.of().formatHex(b)),
            new Encoding("hex upper", "hex", b -> HexFormat.of().withUpperCase().formatHex(b)),
            new Encoding("base64", "base64", b -> Base64.getEncoder().encodeToString(b)),
            new Encoding("base64url unpadded", "base64", b -> Base64.getUrlEncoder().withoutPadding().encodeToString(b)));

    static byte[] truncated(Algorithm a, String value, int bits) {
        byte[] d = digest(a.jdk(), value);
        return bits == 0 ? d : Arrays.copyOf(d, bits / 8);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Canary c : EVERY_KIND) {
            for (Algorithm a : ALGORITHMS) {
                for (int bits : BITS) {
                    for (Encoding e : ENCODINGS) {
                        out.add(Arguments.of(c.kind().id(), a, bits == 0 ? "full" : bits + " bits", e, c, bits));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void everyAlgorithmTruncationAndEncodingIsFoundWithItsChain(String kind, Algorithm a, String length, Encoding e,
                                                                 Canary canary, int bits) {
        String text = e.text().apply(truncated(a, canary.value(), bits));
        byte[] body = utf8("{\"ts\":1712000000123,\"hid\":\"" + text + "\",\"v\":2}");

        List<Finding> findings = DETECTOR.scan(flow("/log", List.of(), body));

        assertThat(findings).extracting(Finding::canary, Finding::location, Finding::transforms, Finding::form)
                .containsExactly(tuple(canary, "body", List.of(e.chainStep(), a.name()), canary.value()));
    }

    static Stream<Arguments> rawCases() {
        List<Arguments> out = new ArrayList<>();
        for (Canary c : EVERY_KIND) {
            for (Algorithm a : ALGORITHMS) {
                for (int bits : BITS) {
                    out.add(Arguments.of(c.kind().id(), a, bits == 0 ? "full" : bits + " bits", c, bits));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} raw in a protobuf field")
    @MethodSource("rawCases")
    void rawDigestsInAProtobufFieldAreFound(String kind, Algorithm a, String length, Canary canary, int bits) {
        byte[] body = protobuf(truncated(a, canary.value(), bits));

        List<Finding> findings = DETECTOR.scan(flow("/log", List.of(), body));

        assertThat(findings).extracting(Finding::canary, Finding::location, Finding::transforms, Finding::form)
                .containsExactly(tuple(canary, "body", List.of("protobuf", a.name()), canary.value()));
    }

    /**
     * Random bytes parse as a protobuf message now and then: a digest that does is walked as a message, and must still
     * be compared as a digest.
     */
    @Test
    void aRawDigestThatParsesAsAMessageIsStillFound() {
        int tried = 0;
        for (Canary c : EVERY_KIND) {
            for (Algorithm a : ALGORITHMS) {
                for (int bytes = 8; bytes <= a.bytes(); bytes++) {
                    byte[] d = Arrays.copyOf(digest(a.jdk(), c.value()), bytes);
                    if (!ProtobufWire.parses(d, 0, d.length)) {
                        continue;
                    }
                    tried++;
                    assertThat(DETECTOR.scan(flow("/log", List.of(), protobuf(d))))
                            .as("%s %s %d bytes", c, a, bytes)
                            .extracting(Finding::canary, Finding::transforms)
                            .containsExactly(tuple(c, List.of("protobuf", a.name())));
                }
            }
        }
        assertThat(tried).as("digest prefixes that parse as a message").isGreaterThan(10);
    }

    @Test
    void rawDigestsShorterThan64BitsOrNotStartingTheFieldAreNotMatched() {
        for (Canary c : EVERY_KIND) {
            for (Algorithm a : ALGORITHMS) {
                byte[] d = digest(a.jdk(), c.value());
                assertThat(DETECTOR.scan(flow("/log", List.of(), protobuf(Arrays.copyOf(d, 7)))))
                        .as("%s %s, 56 bits", c, a).isEmpty();
                byte[] shifted = new byte[d.length];
                System.arraycopy(d, 0, shifted, 1, d.length - 1);
                assertThat(DETECTOR.scan(flow("/log", List.of(), protobuf(shifted)))).as("%s %s, shifted", c, a)
                        .isEmpty();
            }
        }
    }

    /** A message of 20,000 fields of random bytes and of digests of other values, 8 to 64 bytes each. */
    @Test
    void protobufFieldsOfRandomBytesAndOtherDigestsYieldNothing() {
        Random r = new Random(8);
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            byte[] field = new byte[8 + r.nextInt(57)];
            r.nextBytes(field);
            message.writeBytes(protobuf(i % 2 == 0 ? field
                    : truncated(ALGORITHMS.get(i / 2 % 4), "not a canary " + i, 8 * (8 + r.nextInt(9)))));
        }

        assertThat(DETECTOR.scan(flow("/log", List.of(), message.toByteArray()))).isEmpty();
    }

    @Test
    void aHashOfAnotherFormIsReportedAsThatForm() {
        Canary imei = EVERY_KIND.get(0);
        String withoutCheckDigit = imei.value().substring(0, 14);
        String text = HexFormat.of().formatHex(Arrays.copyOf(digest("SHA-256", withoutCheckDigit), 8));

        assertThat(DETECTOR.scan(flow("/log?d=" + text, List.of(), new byte[0])))
                .extracting(Finding::canary, Finding::location, Finding::transforms, Finding::form)
                .containsExactly(tuple(imei, "url", List.of("hex", "sha256"), withoutCheckDigit));
    }

    /** 56 bits are below what is matched (see LeakDetector.HASH_PREFIX_BYTES), in any encoding. */
    @Test
    void truncationsShorterThan64BitsAreNotMatched() {
        for (Canary c : EVERY_KIND) {
            for (Algorithm a : ALGORITHMS) {
                for (Encoding e : ENCODINGS) {
                    String text = e.text().apply(truncated(a, c.value(), 56));
                    byte[] body = utf8("{\"hid\":\"" + text + "\"}");
                    assertThat(DETECTOR.scan(flow("/log", List.of(), body))).as("%s %s %s", c, a, e).isEmpty();
                }
            }
        }
    }

    /**
     * The base64 pattern is the first 10 characters (60 bits); the 11th carries the prefix's last 4 bits and is
     * checked: the same 10 characters followed by a character whose top 4 bits differ are another digest.
     */
    @Test
    void theBase64CharacterAfterThePatternIsChecked() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (Canary c : EVERY_KIND) {
            String good = Base64.getEncoder().encodeToString(truncated(ALGORITHMS.get(2), c.value(), 64));
            int eleventh = alphabet.indexOf(good.charAt(10));
            for (int other = 0; other < 64; other++) {
                String text = good.substring(0, 10) + alphabet.charAt(other) + "=";
                List<Finding> findings = DETECTOR.scan(flow("/log", List.of(), utf8("{\"h\":\"" + text + "\"}")));
                if (other >>> 2 == eleventh >>> 2) {
                    assertThat(findings).as("%s, 11th char %d", c, other).hasSize(1);
                } else {
                    assertThat(findings).as("%s, 11th char %d", c, other).isEmpty();
                }
            }
            // Cut after the 10th character: 60 bits, not reported.
            assertThat(DETECTOR.scan(flow("/log", List.of(), utf8("{\"h\":\"" + good.substring(0, 10) + "\"}"))))
                    .isEmpty();
        }
    }

    /** JSON full of the things a 64-bit pattern could be confused with: 16-hex ids, 16-19 digit numbers, tokens. */
    @Test
    void benignIdsNumbersAndDigestsYieldNothing() {
        Random r = new Random(64);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            byte[] token = new byte[8 + r.nextInt(57)];
            r.nextBytes(token);
            json.append("{\"id\":\"").append(String.format("%016x", r.nextLong())).append("\",\"ID\":\"")
                    .append(String.format("%016X", r.nextLong())).append("\",\"n\":").append(Math.abs(r.nextLong()))
                    .append(",\"t\":\"").append(Base64.getEncoder().encodeToString(token)).append("\",\"u\":\"")
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(token)).append("\",\"h\":\"")
                    .append(HexFormat.of().formatHex(digest("SHA-256", "not a canary " + i)))
                    .append("\",\"m\":\"").append(Base64.getEncoder().encodeToString(digest("MD5", "x" + i)))
                    .append("\"},");
        }
        byte[] body = utf8(json.append("{}]").toString().toLowerCase(Locale.ROOT));

        assertThat(DETECTOR.scan(flow("/v1/batch", List.of(), body))).isEmpty();
        assertThat(DETECTOR.scan(flow("/v1/batch", List.of(), utf8(json.toString())))).isEmpty();
    }
}
