package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;

import static dev.consentry.leak.LeakDetectorTest.compress;
import static dev.consentry.leak.LeakDetectorTest.gzip;

/**
 * Random requests with canaries (whole, stripped, encoded) among JSON, form fields, random bytes and base64-looking
 * noise, wrapped in 0-3 random layers (url, json escapes, base64 either alphabet, hex, gzip, deflate, zstd, brotli,
 * multipart, protobuf), sometimes gzip'd as declared Content-Encoding, sometimes cut short (damage). The same seed
 * gives the same flow.
 */
final class RandomFlows {
    private RandomFlows() {
    }

    static CapturedFlow flow(long seed, List<Canary> canaries) {
        Random r = new Random(seed);
        byte[] body = content(r, canaries);
        for (int d = r.nextInt(4); d > 0; d--) {
            body = layer(r, body);
        }
        List<HttpHeader> headers = new ArrayList<>();
        headers.add(new HttpHeader("User-Agent", "t"));
        int coding = r.nextInt(6);
        if (coding <= 1) {
            body = gzip(body);
            if (coding == 1) {
                body = Arrays.copyOf(body, r.nextInt(body.length + 1)); // cut: damage is reported
            }
            headers.add(new HttpHeader("Content-Encoding", "gzip"));
        }
        if (r.nextInt(3) == 0) {
            headers.add(new HttpHeader("X-Data", Base64.getEncoder().encodeToString(content(r, canaries))));
        }
        if (r.nextInt(4) == 0) {
            headers.add(new HttpHeader("Cookie", "a=" + Long.toHexString(r.nextLong()) + "; b="
                    + canaries.get(r.nextInt(canaries.size())).value().replace(";", "")));
        }
        String query = r.nextInt(3) == 0
                ? new String(layer(r, content(r, canaries)), StandardCharsets.ISO_8859_1).replaceAll("[\r\n]", "")
                : "x";
        return new CapturedFlow("r-" + seed, Instant.EPOCH, "c", new HttpRequestData("POST", "https", "h.example",
                443, "/p/" + seed + "?q=" + query, "HTTP/1.1", headers, body), Optional.empty(), Optional.empty());
    }

    private static byte[] content(Random r, List<Canary> canaries) {
        StringBuilder s = new StringBuilder();
        for (int p = 1 + r.nextInt(8); p > 0; p--) {
            String v = canaries.get(r.nextInt(canaries.size())).value();
            switch (r.nextInt(9)) {
                case 0 -> s.append(v);
                case 1 -> s.append(v.replaceAll("[^0-9A-Za-z]", ""));
                case 2 -> s.append("{\"ts\":").append(r.nextLong()).append(",\"v\":").append(r.nextDouble())
                        .append(",\"u\":\"").append(Long.toHexString(r.nextLong())).append("\"}");
                case 3 -> s.append("&k").append(r.nextInt(100)).append('=')
                        .append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36)).append("&q=hello+world%21");
                case 4 -> {
                    for (int k = r.nextInt(40); k > 0; k--) {
                        s.append((char) r.nextInt(256));
                    }
                }
                case 5 -> {
                    for (int k = r.nextInt(40); k > 0; k--) {
                        s.append("AZaz09+/-_=.,:\"%\\ ".charAt(r.nextInt(18)));
                    }
                }
                case 6 -> s.append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
                case 7 -> s.append(HexFormat.of().formatHex(("x" + v).getBytes(StandardCharsets.UTF_8)));
                default -> s.append(' ').append(r.nextInt()).append(' ');
            }
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] layer(Random r, byte[] in) {
        String latin = new String(in, StandardCharsets.ISO_8859_1);
        return switch (r.nextInt(12)) {
            case 0 -> latin1("d=" + URLEncoder.encode(latin, StandardCharsets.UTF_8));
            case 1 -> {
                StringBuilder s = new StringBuilder("{\"s\":\"");
                for (byte b : in) {
                    int c = b & 0xff;
                    if (c < 0x20 || c == '"' || c == '\\' || r.nextInt(8) == 0) {
                        s.append(String.format("\\u%04x", c));
                    } else {
                        s.append((char) c);
                    }
                }
                yield latin1(s.append("\"}").toString());
            }
            case 2 -> latin1("b=" + Base64.getEncoder().encodeToString(LeakDetectorTest.concat(
                    "abc".substring(0, r.nextInt(4)).getBytes(StandardCharsets.US_ASCII), in)));
            case 3 -> latin1("b=" + Base64.getUrlEncoder().withoutPadding().encodeToString(in) + ";");
            case 4 -> {
                String h = HexFormat.of().formatHex(in);
                yield latin1("h=" + (r.nextBoolean() ? h.toUpperCase(java.util.Locale.ROOT) : h));
            }
            case 5 -> gzip(in);
            case 6 -> compress(in, new Deflater(6, r.nextBoolean()));
            case 7 -> TransformTableTest.zstd(in);
            case 8 -> in.length == 0 || in.length > 65536 ? in : TransformTableTest.brotli(in);
            case 9 -> TransformTableTest.multipart(in);
            case 10 -> TransformTableTest.protobuf(in);
            default -> {
                StringBuilder s = new StringBuilder();
                for (byte b : in) {
                    int c = b & 0xff;
                    s.append(r.nextInt(3) == 0 ? String.format("%%%02X", c) : String.valueOf((char) c));
                }
                yield latin1(s.toString());
            }
        };
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
