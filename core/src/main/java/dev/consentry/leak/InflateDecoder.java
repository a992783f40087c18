package dev.consentry.leak;

import io.airlift.compress.zstd.ZstdInputStream;
import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * gzip, deflate and zstd, recognised by the declared Content-Encoding or by their magic bytes, and brotli
 * where declared (senders compress bodies
 * without saying so, and compressed blobs turn up inside base64 fields).
 *
 * <p>A truncated or corrupt stream yields what decompressed before the damage: those bytes left the handset all the
 * same, and a leak detector that fails closed should look at them. Output is capped so a small "zip bomb" body cannot
 * exhaust memory; past the cap the remainder is not searched.
 */
final class InflateDecoder implements Decoder {
    static final String GZIP = "gzip";
    static final String DEFLATE = "deflate";
    static final String BROTLI = "brotli";
    static final String ZSTD = "zstd";

    private final int maxOutput;

    InflateDecoder(int maxOutput) {
        this.maxOutput = maxOutput;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        String declared = view.declaredEncoding().toLowerCase(Locale.ROOT);
        boolean gzipMagic = d.length >= 2 && (d[0] & 0xff) == 0x1f && (d[1] & 0xff) == 0x8b;
        if (gzipMagic || declared.contains("gzip")) {
            emit(view, GZIP, inflate(d, Format.GZIP), out);
            return;
        }
        if (d.length >= 4 && (d[0] & 0xff) == 0x28 && (d[1] & 0xff) == 0xb5 && (d[2] & 0xff) == 0x2f
                && (d[3] & 0xff) == 0xfd) {
            emit(view, ZSTD, zstd(d), out);
            return;
        }
        if (declared.contains("br")) {
            emit(view, BROTLI, brotli(d), out);
            return;
        }
        boolean zlibMagic = d.length >= 2 && (d[0] & 0x0f) == 8 && ((d[0] & 0xff) << 8 | (d[1] & 0xff)) % 31 == 0;
        if (zlibMagic) {
            emit(view, DEFLATE, inflate(d, Format.ZLIB), out);
        } else if (declared.contains("deflate")) {
            // "Content-Encoding: deflate" should mean zlib, but many servers and clients send raw deflate.
            emit(view, DEFLATE, inflate(d, Format.RAW), out);
        }
    }

    private static void emit(View view, String name, byte[] decoded, Consumer<View> out) {
        if (decoded.length > 0) {
            out.accept(view.child(name, decoded));
        }
    }

    /**
     * Brotli has no magic bytes, so it is decoded only where declared: guessing would mean starting a decoder (and
     * its window, up to 16 MB) on every blob.
     */
    private byte[] brotli(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(data))) {
            copy(in, out);
        } catch (IOException | RuntimeException e) {
            // Corrupt or truncated: keep what came out before the damage.
        }
        return out.toByteArray();
    }

    private byte[] zstd(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
            copy(in, out);
        } catch (IOException | RuntimeException e) {
            // Corrupt or truncated: keep what came out before the damage.
        }
        return out.toByteArray();
    }

    private void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int n;
        while (out.size() < maxOutput && (n = in.read(buf, 0, Math.min(buf.length, maxOutput - out.size()))) > 0) {
            out.write(buf, 0, n);
        }
    }

    private enum Format { GZIP, ZLIB, RAW }

    private byte[] inflate(byte[] data, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Inflater inflater = format == Format.RAW ? new Inflater(true) : null;
        try (InputStream in = switch (format) {
            case GZIP -> new GZIPInputStream(new ByteArrayInputStream(data));
            case ZLIB -> new InflaterInputStream(new ByteArrayInputStream(data));
            case RAW -> new InflaterInputStream(new ByteArrayInputStream(data), inflater);
        }) {
            copy(in, out);
        } catch (IOException | RuntimeException e) {
            // Corrupt or truncated: keep what came out before the damage (see class comment).
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
        return out.toByteArray();
    }
}
