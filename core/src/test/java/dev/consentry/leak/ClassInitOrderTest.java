package dev.consentry.leak;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's byte tables are built by static initializers that read one another's tables. Whichever class a JVM
 * loads first, every table must come out whole: before, loading {@code Runs} first initialized {@code UrlDecoder}
 * from inside {@code Runs}' initializer, while {@code Runs.BASE64} was still empty, and {@code UrlDecoder.inert}
 * then took url rounds that undo escapes into base64 characters for inert (found by the core suite once the first
 * class to touch {@code Runs} changed). Each case loads the classes afresh in a class loader of its own.
 */
class ClassInitOrderTest {
    @ParameterizedTest
    @ValueSource(strings = {"Runs", "UrlDecoder", "Base64Alphabet", "MultiMatcher", "Plausible", "LeakDetector"})
    void everyTableIsWholeWhicheverClassIsLoadedFirst(String first) throws Exception {
        URL classes = Runs.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(new URL[]{classes}, ClassLoader.getPlatformClassLoader())) {
            Class.forName("dev.consentry.leak." + first, true, fresh);
            boolean[] base64 = table(fresh, "Runs", "BASE64");
            boolean[] hex = table(fresh, "Runs", "HEX");
            boolean[] keepsWork = table(fresh, "UrlDecoder", "KEEPS_WORK");
            for (int b = 0; b < 256; b++) {
                assertThat(base64[b]).as("Runs.BASE64[%d]", b).isEqualTo(Base64Alphabet.isBase64((byte) b));
                assertThat(hex[b]).as("Runs.HEX[%d]", b).isEqualTo(UrlDecoder.hex((byte) b) >= 0);
                assertThat(keepsWork[b]).as("UrlDecoder.KEEPS_WORK[%d]", b)
                        .isEqualTo(Base64Alphabet.isBase64((byte) b) || b == '%' || b == '\\');
            }
        }
    }

    private static boolean[] table(ClassLoader loader, String cls, String field) throws Exception {
        Field f = Class.forName("dev.consentry.leak." + cls, true, loader).getDeclaredField(field);
        f.setAccessible(true);
        return (boolean[]) f.get(null);
    }
}
