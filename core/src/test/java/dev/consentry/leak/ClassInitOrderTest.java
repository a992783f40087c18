package dev.consentry.leak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's byte tables are built by static initializers that read one another's tables. Whichever class a JVM
 * loads first, every table must come out whole: before, loading {@code Runs} first initialized {@code UrlDecoder}
 * from inside {@code Runs}' initializer, while {@code Runs.BASE64} was still empty, and {@code UrlDecoder.inert}
 * then took url rounds that undo escapes into base64 characters for inert (found by the core suite once the first
 * class to touch {@code Runs} changed). Each case loads the classes afresh in a class loader of their own.
 */
class ClassInitOrderTest {
    /** Every class with static tables built by code, in this package and the HAR reader's base64. */
    private static final List<String> TABLES = List.of("dev.consentry.leak.Runs", "dev.consentry.leak.UrlDecoder",
            "dev.consentry.leak.Base64Alphabet", "dev.consentry.leak.Plausible", "dev.consentry.leak.HexRunDecoder",
            "dev.consentry.leak.MultiMatcher", "dev.consentry.leak.FastInflater", "dev.consentry.leak.Brotli",
            "dev.consentry.leak.ByteClasses", "dev.consentry.leak.Bytes", "dev.consentry.leak.LeakDetector",
            "dev.consentry.har.PlainBase64");

    @ParameterizedTest
    @ValueSource(strings = {"Runs", "UrlDecoder", "Base64Alphabet", "MultiMatcher", "Plausible", "LeakDetector"})
    void everyTableIsWholeWhicheverClassIsLoadedFirst(String first) throws Exception {
        try (Fresh fresh = new Fresh()) {
            Class.forName("dev.consentry.leak." + first, true, fresh);
            boolean[] base64 = (boolean[]) fresh.field("dev.consentry.leak.Runs", "BASE64");
            boolean[] hex = (boolean[]) fresh.field("dev.consentry.leak.Runs", "HEX");
            boolean[] keepsWork = (boolean[]) fresh.field("dev.consentry.leak.UrlDecoder", "KEEPS_WORK");
            for (int b = 0; b < 256; b++) {
                assertThat(base64[b]).as("Runs.BASE64[%d]", b).isEqualTo(Base64Alphabet.isBase64((byte) b));
                assertThat(hex[b]).as("Runs.HEX[%d]", b).isEqualTo(UrlDecoder.hex((byte) b) >= 0);
                assertThat(keepsWork[b]).as("UrlDecoder.KEEPS_WORK[%d]", b)
                        .isEqualTo(Base64Alphabet.isBase64((byte) b) || b == '%' || b == '\\');
            }
        }
    }

    /**
     * A cycle between two initializers shows as tables that depend on which class came first. So each class with
     * tables is loaded first in a class loader of its own, and every static array of all of them must then be the same
     * as with any other class first.
     */
    @Test
    void noStaticTableDependsOnWhichClassIsLoadedFirst() throws Exception {
        Map<String, Map<String, Object>> byFirst = new LinkedHashMap<>();
        for (String first : TABLES) {
            try (Fresh fresh = new Fresh()) {
                Class.forName(first, true, fresh);
                Map<String, Object> tables = new LinkedHashMap<>();
                for (String cls : TABLES) {
                    tables.putAll(fresh.staticArrays(cls));
                }
                byFirst.put(first, tables);
            }
        }
        Map<String, Object> reference = byFirst.get(TABLES.get(0));
        assertThat(reference).as("tables found").hasSizeGreaterThan(15);
        List<String> differ = new ArrayList<>();
        byFirst.forEach((first, tables) -> reference.forEach((name, table) -> {
            if (!Objects.deepEquals(table, tables.get(name))) {
                differ.add(name + ": " + TABLES.get(0) + " first and " + first + " first");
            }
        }));
        assertThat(differ).isEmpty();
    }

    /** Loads this project's classes itself (everything else from the test's loader), so their initializers run anew. */
    private static final class Fresh extends URLClassLoader {
        Fresh() {
            super(new URL[]{Runs.class.getProtectionDomain().getCodeSource().getLocation()},
                    ClassInitOrderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.consentry.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }

        Object field(String cls, String name) throws Exception {
            Field f = Class.forName(cls, true, this).getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        }

        /** The class's static array fields (its nested classes' too), by class and field name. */
        Map<String, Object> staticArrays(String cls) throws Exception {
            Map<String, Object> arrays = new LinkedHashMap<>();
            Class<?> c = Class.forName(cls, true, this);
            List<Class<?>> all = new ArrayList<>(List.of(c));
            all.addAll(List.of(c.getDeclaredClasses()));
            for (Class<?> k : all) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) && f.getType().isArray()
                            && f.getType().getComponentType().isPrimitive() && f.trySetAccessible()) {
                        arrays.put(k.getSimpleName() + "." + f.getName(), f.get(null));
                    }
                }
            }
            return arrays;
        }
    }
}
