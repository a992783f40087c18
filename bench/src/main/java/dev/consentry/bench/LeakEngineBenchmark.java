package dev.consentry.bench;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.leak.LeakDetector;
import dev.consentry.leak.NaiveBaseline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * One request body of each kind (JSON, form, gzip'd JSON, random binary; 32 KB each) against 1,000 canaries. Bytes
 * per operation are the body size, so MB/s = 32 KB x ops/s. Run: see README, "Leak engine speed".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LeakEngineBenchmark {
    static final int BODY = 32 * 1024;

    @Param({"json", "form", "gzip", "binary"})
    public String body;

    private LeakDetector engine;
    private NaiveBaseline naive;
    private CapturedFlow flow;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random r = new Random(3);
        List<Canary> canaries = new ArrayList<>();
        while (canaries.size() < 1000) {
            StringBuilder imei = new StringBuilder("86");
            for (int i = 0; i < 13; i++) {
                imei.append((char) ('0' + r.nextInt(10)));
            }
            try {
                Canary c = Canary.of(canaries.size() % 2 == 0 ? CanaryKind.IMEI : CanaryKind.PHONE_NUMBER,
                        canaries.size() % 2 == 0 ? imei.toString() : "+91" + imei.substring(5));
                new LeakDetector(List.of(c));
                canaries.add(c);
            } catch (IllegalArgumentException refused) {
                // drawn again
            }
        }
        engine = new LeakDetector(canaries);
        naive = new NaiveBaseline(canaries);
        StringBuilder json = new StringBuilder("{\"events\":[");
        while (json.length() < BODY) {
            json.append("{\"ts\":").append(1400000000000L + r.nextInt(1 << 30)).append(",\"uid\":\"")
                    .append(Long.toHexString(r.nextLong())).append("\",\"v\":").append(r.nextDouble()).append("},");
        }
        byte[] b = switch (body) {
            case "json" -> json.toString().getBytes(StandardCharsets.UTF_8);
            case "form" -> {
                StringBuilder f = new StringBuilder("a=1");
                while (f.length() < BODY) {
                    f.append("&k").append(r.nextInt(1000)).append('=').append(Long.toString(r.nextLong() >>> 1, 36))
                            .append("&q=hello+world%21");
                }
                yield f.toString().getBytes(StandardCharsets.UTF_8);
            }
            case "gzip" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream g = new GZIPOutputStream(out)) {
                    g.write(json.toString().getBytes(StandardCharsets.UTF_8));
                }
                yield out.toByteArray();
            }
            default -> {
                byte[] x = new byte[BODY];
                r.nextBytes(x);
                yield x;
            }
        };
        flow = new CapturedFlow("b", Instant.EPOCH, "", new HttpRequestData("POST", "https", "h.example.com", 443,
                "/api/v2/items?page=3", "HTTP/1.1", List.of(new HttpHeader("User-Agent", "MIUI")), b),
                Optional.empty(), Optional.empty());
    }

    @Benchmark
    public void engine(Blackhole bh) {
        bh.consume(engine.scan(flow));
    }

    @Benchmark
    @Measurement(iterations = 1, time = 5)
    public void naiveBaseline(Blackhole bh) {
        bh.consume(naive.count(flow));
    }
}
