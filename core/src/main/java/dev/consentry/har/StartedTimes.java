package dev.consentry.har;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An entry's startedDateTime as {@code OffsetDateTime.parse(s).toInstant()} reads it, the shape every writer known
 * uses read by hand: {@code 2024-03-01T10:00:00Z}, with a fraction of 1-9 digits, or an offset {@code +HH:MM}
 * instead of Z (Instant.toString, mitmproxy, browsers). java.time's parser cost about 6% of reading a HAR (a
 * formatter walk, a map of fields and a resolver per entry). Any other text, or a value out of range, goes to
 * {@link OffsetDateTime#parse}, which accepts, reads and rejects it (with its message) exactly as before.
 */
final class StartedTimes {
    private StartedTimes() {
    }

    /** @throws java.time.format.DateTimeParseException as OffsetDateTime.parse throws it */
    static Instant parse(String s) {
        Instant fast = common(s);
        return fast != null ? fast : OffsetDateTime.parse(s).toInstant();
    }

    /** The common shape's instant, or null for anything else (then java.time decides). */
    static Instant common(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + s.charAt(i) - '0';
                i++;
            }
            if (i == start || i < n && isDigit(s.charAt(i))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || om > 59 || oh > 17) {
                return null;
            }
            offset = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        // Checks the day against the month (February 29th only in leap years), as the strict ISO parser does.
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second
                - offset;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1 if any is not one. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + c - '0';
        }
        return v;
    }
}
