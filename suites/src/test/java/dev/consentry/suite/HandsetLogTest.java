package dev.consentry.suite;

import dev.consentry.prep.PrepException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandsetLogTest {
    @Test
    void tailsLogcatOrSaysWhyItCouldNot() {
        assertThat(HandsetLog.tail((cmd, args) -> cmd + " " + String.join(" ", args) + "\nline 2\n", 300))
                .isEqualTo("logcat -d -v time -t 300\nline 2\n");
        assertThat(HandsetLog.tail((cmd, args) -> "/system/bin/sh: logcat: not found\n", 300))
                .isEqualTo("handset log unavailable: /system/bin/sh: logcat: not found");
        assertThat(HandsetLog.tail((cmd, args) -> {
            throw new PrepException("mobile: shell refused: adb_shell not allowed");
        }, 300)).isEqualTo("handset log unavailable: logcat failed: mobile: shell refused: adb_shell not allowed");
    }
}
