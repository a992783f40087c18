package dev.consentry.har;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-read startedDateTime against OffsetDateTime.parse, which it must match in value and in what it refuses. */
class StartedTimesTest {
    /** What OffsetDateTime.parse makes of it: the instant, or the exception's message. */
    private static Object before(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return e.getMessage();
        }
    }

    private static Object now(String s) {
        try {
            return StartedTimes.parse(s);
        } catch (DateTimeParseException e) {
            return e.getMessage();
        }
    }

    private static String random(Random r) {
        String date = "%04d-%02d-%02dT%02d:%02d:%02d".formatted(r.nextInt(10) == 0 ? r.nextInt(10_000)
                        : 1900 + r.nextInt(200), r.nextInt(14), r.nextInt(33), r.nextInt(26), r.nextInt(62),
                r.nextInt(62));
        int digits = r.nextInt(12) - 1;
        if (digits >= 0) {
            StringBuilder f = new StringBuilder(".");
            for (int i = 0; i < digits; i++) {
                f.append(r.nextInt(10));
            }
            date += f;
        }
        return date + switch (r.nextInt(6)) {
            case 0, 1 -> "Z";
            case 2 -> "%s%02d:%02d".formatted(r.nextBoolean() ? "+" : "-", r.nextInt(20), r.nextInt(62));
            case 3 -> "+%02d:%02d".formatted(r.nextInt(15), 15 * r.nextInt(4));
            case 4 -> List.of("z", "+0100", "+01", "+01:00:30", "", "Z ", "Z[UTC]", "-00:00").get(r.nextInt(8));
            default -> "+18:00";
        };
    }

    private static final String ODD = "0123456789-:.TtZz+ x\u0660";

    private static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int at = r.nextInt(b.length());
        switch (r.nextInt(3)) {
            case 0 -> b.setCharAt(at, ODD.charAt(r.nextInt(ODD.length())));
            case 1 -> b.deleteCharAt(at);
            default -> b.insert(at, "0123456789-:.TZ+".charAt(r.nextInt(16)));
        }
        return b.toString();
    }

    @Test
    void readsEveryShapeAsOffsetDateTimeDoes() {
        Random r = new Random(1);
        int common = 0;
        for (int i = 0; i < 25_000; i++) {
            String s = random(r);
            if (r.nextInt(4) == 0) {
                s = mutate(s, r);
            }
            Object expected = before(s);
            assertThat(now(s)).as(s).isEqualTo(expected);
            Instant fast = StartedTimes.common(s);
            if (fast != null) {
                assertThat(fast).as(s).isEqualTo(expected);
                common++;
            }
        }
        // Both ways are taken, or the comparison would prove nothing.
        assertThat(common).isBetween(2_500, 22_500);
    }

    @Test
    void theWritersShapesTakeTheFastWay() {
        for (String s : List.of("1970-01-01T00:00:00Z", "2024-03-01T10:00:00.123Z", "2024-02-29T23:59:59.123456789Z",
                "2024-03-01T10:00:00.123456+00:00", "2024-03-01T10:00:00.5-05:30")) {
            assertThat(StartedTimes.common(s)).as(s).isEqualTo(OffsetDateTime.parse(s).toInstant());
        }
        for (String s : List.of("2023-02-29T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T10:00:00.Z",
                "2024-03-01t10:00:00Z", "+10000-01-01T00:00:00Z", "2024-03-01T10:00Z")) {
            assertThat(StartedTimes.common(s)).as(s).isNull();
        }
    }
}
