package dev.consentry.leak;

import io.airlift.compress.zstd.ZstdInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Zstandard (RFC 8878) bodies, whole or damaged. A whole one is decoded by aircompressor as it stands. A truncated or
 * corrupt one yields the bytes of every block before the damage, and of a raw block cut short, its bytes up to the cut:
 * aircompressor's stream decoder keeps a frame's decoded blocks in its window until the frame ends (all of a frame no
 * larger than its window), so of a frame cut anywhere it hands out nothing. The frames are walked here instead (frame
 * headers and block headers only, never a block's contents), and aircompressor is handed a re-framed copy of what is
 * there: each frame's header without content size and checksum (a window descriptor where the frame had a single
 * segment, as large as its content size), its complete blocks, the last marked last; skippable frames left out. When
 * that copy does not decode either (a block is corrupt, not cut), the longest prefix of blocks that decodes is found by
 * bisection (about log2 of the block count decodes, each stopping at the cap). Whole frames aircompressor refuses
 * (beside skippable frames, or declaring a window over {@link #MAX_WINDOW}) go the same way and count as whole. A
 * whole frame aircompressor takes is decoded as before, nothing else done. The engine's {@link InflateDecoder} and the
 * report's evidence replay both decode with this class, so the replay shows what the engine searched.
 */
public final class Zstd {
    /** A block's size never exceeds this (Block_Maximum_Size is the smaller of it and the window). */
    private static final int MAX_BLOCK = 128 * 1024;
    /**
     * aircompressor 0.27 refuses a larger window (8 MB), even where the frame holds less than that (`zstd --long=27`
     * declares 128 MB): the window only bounds how far back a block may reach, so such frames are handed over with this
     * window; of a frame larger than this, a block reaching further back does not decode.
     */
    private static final long MAX_WINDOW = 8L << 20;
    private static final int RAW = 0;
    private static final int RLE = 1;
    private static final int COMPRESSED = 2;

    private Zstd() {
    }

    /**
     * @param bytes  the decoded bytes, at most the cap asked for
     * @param damage empty when the input decoded whole; else what was wrong with it and what was recovered
     */
    public record Decoded(byte[] bytes, String damage) {
        public boolean damaged() {
            return !damage.isEmpty();
        }
    }

    /** Whether {@code d} starts the way zstd data does: a frame's magic, or skippable frames and then one. */
    public static boolean startsFrame(byte[] d) {
        int at = 0;
        for (int skipped = 0; skipped < 4 && isSkippable(d, at); skipped++) {
            long next = at + 8L + le(d, at + 4, 4);
            if (next > d.length) {
                return false;
            }
            at = (int) next;
        }
        return isFrame(d, at);
    }

    /** {@code data} decompressed, at most {@code maxOutput} bytes; never throws. */
    public static Decoded decode(byte[] data, int maxOutput) {
        if (isFrame(data, 0)) {
            byte[] whole = attempt(data, maxOutput, true);
            if (whole != null) {
                return new Decoded(whole, "");
            }
        }
        try {
            return salvage(data, maxOutput);
        } catch (RuntimeException e) {
            // A fault in the walk (none known: ZstdTest fuzzes it) must cost this body, not the scan of the capture.
            return new Decoded(new byte[0], "not decoded: " + e);
        }
    }

    private static Decoded salvage(byte[] data, int maxOutput) {
        Walk walk = walk(data);
        List<Block> blocks = walk.blocks;
        if (walk.stop.isEmpty() && (walk.skippable > 0 || walk.frames.stream().anyMatch(f -> f[2] >= 0))) {
            // Whole, if the frames decode as they stand, checksums and all, once what aircompressor refuses is changed.
            byte[] whole = attempt(asAircompressorTakesIt(data, walk.frames), maxOutput, true);
            if (whole != null) {
                return new Decoded(whole, "");
            }
        }
        byte[] bytes = attempt(reframed(data, blocks, blocks.size()), maxOutput, true);
        int good = blocks.size();
        String what = walk.stop;
        if (bytes == null) {
            // A block is corrupt, not cut: the longest prefix of blocks that decodes, by bisection ([0, lo) decodes,
            // [0, hi) does not), its probes' output counted, not kept, then that prefix decoded once more to keep.
            int lo = 0;
            int hi = blocks.size();
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (attempt(reframed(data, blocks, mid), maxOutput, false) != null) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            good = lo;
            bytes = attempt(reframed(data, blocks, lo), maxOutput, true);
            if (bytes == null) {
                bytes = new byte[0]; // decoded in the probe, so never; but nothing here may throw
            }
            Block bad = blocks.get(lo);
            String corrupt = "block " + bad.number + " of frame " + bad.frame + " does not decode (corrupt)";
            what = what.isEmpty() ? corrupt : what + "; " + corrupt;
        }
        if (what.isEmpty()) {
            what = "it does not decode as it stands (a checksum that does not match, say)";
        }
        return new Decoded(bytes, what + "; " + recovered(blocks, good));
    }

    private static String recovered(List<Block> blocks, int n) {
        if (n == 0) {
            return "no block before it decodes";
        }
        Block last = blocks.get(n - 1);
        int frames = (int) blocks.subList(0, n).stream().mapToInt(b -> b.frame).distinct().count();
        return "recovered " + n + (n == 1 ? " block" : " blocks") + " of " + frames
                + (frames == 1 ? " frame" : " frames") + (last.partial ? ", the last a raw block cut short" : "");
    }

    /**
     * {@code input} decoded by aircompressor, at most {@code maxOutput} bytes (kept, or only counted: then an empty
     * array); null when it does not decode.
     */
    private static byte[] attempt(byte[] input, int maxOutput, boolean keep) {
        if (input.length == 0) {
            return new byte[0]; // no block: nothing, which aircompressor calls an error
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(keep ? 32 : 0);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(input))) {
            byte[] buf = new byte[16 * 1024];
            int total = 0;
            int n;
            while (total < maxOutput && (n = in.read(buf, 0, Math.min(buf.length, maxOutput - total))) > 0) {
                total += n;
                if (keep) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out.toByteArray();
    }

    /**
     * A block found by the walk: frame and block numbers from 1; its type and Block_Size; the bytes of its content
     * present (a raw block cut short: fewer than its size says, and its size then says so); its frame's window.
     */
    private record Block(int frame, int number, int type, int size, int contentStart, int contentLength,
                         boolean partial, long windowSize) {
    }

    /**
     * The blocks found in order; the zstd frames found whole (start, end, and where a window descriptor over
     * {@link #MAX_WINDOW} stands, else -1); how many skippable frames; where and why the walk stopped ("" at the end of
     * the data).
     */
    private record Walk(List<Block> blocks, List<int[]> frames, int skippable, String stop) {
    }

    private static Walk walk(byte[] d) {
        List<Block> blocks = new ArrayList<>();
        List<int[]> frames = new ArrayList<>();
        int skippable = 0;
        int at = 0;
        for (int frame = 1; ; frame++) {
            if (at == d.length) {
                return new Walk(blocks, frames, skippable, frame == 1 ? "no zstd frame in it" : "");
            }
            if (isSkippable(d, at)) {
                long next = at + 8L + le(d, at + 4, 4);
                if (next > d.length) {
                    return new Walk(blocks, frames, skippable, "skippable frame " + frame + " cut short");
                }
                at = (int) next;
                skippable++;
                continue;
            }
            if (!isFrame(d, at)) {
                return new Walk(blocks, frames, skippable,
                        d.length - at + " bytes at offset " + at + " are not a zstd frame");
            }
            int start = at;
            int fhd = at + 4 < d.length ? d[at + 4] & 0xff : -1;
            if (fhd < 0) {
                return new Walk(blocks, frames, skippable, "frame " + frame + " cut in its header");
            }
            boolean single = (fhd & 0x20) != 0;
            int dictBytes = (fhd & 3) == 0 ? 0 : 1 << ((fhd & 3) - 1);
            int fcsBytes = (fhd >>> 6) == 0 ? (single ? 1 : 0) : 1 << (fhd >>> 6);
            int windowAt = at + 5;
            int blockAt = windowAt + (single ? 0 : 1) + dictBytes + fcsBytes;
            if (blockAt > d.length) {
                return new Walk(blocks, frames, skippable, "frame " + frame + " cut in its header");
            }
            if ((fhd & 0x08) != 0) {
                return new Walk(blocks, frames, skippable,
                        "frame " + frame + " has a reserved header bit set (corrupt)");
            }
            if (dictBytes > 0 && le(d, windowAt + (single ? 0 : 1), dictBytes) != 0) {
                return new Walk(blocks, frames, skippable, "frame " + frame + " needs a dictionary");
            }
            long windowSize;
            if (single) {
                long fcs = le(d, blockAt - fcsBytes, fcsBytes);
                windowSize = fcsBytes == 2 ? fcs + 256 : fcs;
            } else {
                int wd = d[windowAt] & 0xff;
                long base = 1L << (10 + (wd >>> 3));
                windowSize = base + (base / 8) * (wd & 7);
            }
            int maxBlock = (int) Math.min(MAX_BLOCK, Math.max(windowSize, 1));
            at = blockAt;
            boolean last = false;
            for (int number = 1; !last; number++) {
                if (at + 3 > d.length) {
                    return new Walk(blocks, frames, skippable, "frame " + frame + " cut "
                            + (at == d.length ? "before" : "in the header of") + " block " + number);
                }
                int h = (int) le(d, at, 3);
                last = (h & 1) != 0;
                int type = (h >>> 1) & 3;
                int size = h >>> 3;
                String which = "block " + number + " of frame " + frame;
                if (type == 3) {
                    return new Walk(blocks, frames, skippable, which + " has the reserved block type (corrupt)");
                }
                if (size > maxBlock) {
                    return new Walk(blocks, frames, skippable, which + " is larger than a block may be (corrupt)");
                }
                int length = type == RLE ? 1 : size;
                int present = Math.min(length, d.length - at - 3);
                if (present < length) {
                    if (type == RAW && present > 0) {
                        blocks.add(new Block(frame, number, type, present, at + 3, present, true, windowSize));
                    }
                    return new Walk(blocks, frames, skippable, "frame " + frame + " cut in block " + number + ", "
                            + typeName(type) + " block");
                }
                blocks.add(new Block(frame, number, type, size, at + 3, length, false, windowSize));
                at += 3 + length;
            }
            if ((fhd & 0x04) != 0) {
                if (at + 4 > d.length) {
                    return new Walk(blocks, frames, skippable, "frame " + frame + " cut in its checksum");
                }
                at += 4;
            }
            frames.add(new int[]{start, at, !single && windowSize > MAX_WINDOW ? windowAt : -1});
        }
    }

    /**
     * The zstd frames the walk found whole, as they are but for what aircompressor refuses: skippable frames are left
     * out, and windows over {@link #MAX_WINDOW} are cut to it.
     */
    private static byte[] asAircompressorTakesIt(byte[] d, List<int[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
        for (int[] f : frames) {
            int from = f[0];
            if (f[2] >= 0) {
                out.write(d, from, f[2] - from);
                out.write(windowDescriptor(MAX_WINDOW));
                from = f[2] + 1;
            }
            out.write(d, from, f[1] - from);
        }
        return out.toByteArray();
    }

    private static String typeName(int type) {
        return switch (type) {
            case RAW -> "a raw";
            case RLE -> "an RLE";
            default -> "a compressed";
        };
    }

    /**
     * The first {@code n} blocks as frames aircompressor decodes whole: each frame's header reduced to a window
     * descriptor (no content size, no checksum, no dictionary id), its blocks copied, the last one marked last.
     */
    private static byte[] reframed(byte[] d, List<Block> blocks, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + 16);
        for (int i = 0; i < n; i++) {
            Block b = blocks.get(i);
            if (b.number == 1) {
                out.write(0x28);
                out.write(0xb5);
                out.write(0x2f);
                out.write(0xfd);
                out.write(0); // no content size, not single-segment, no checksum, no dictionary id
                out.write(windowDescriptor(Math.min(b.windowSize, MAX_WINDOW)));
            }
            boolean last = i == n - 1 || blocks.get(i + 1).frame != b.frame;
            int h = b.size << 3 | b.type << 1 | (last ? 1 : 0);
            out.write(h);
            out.write(h >>> 8);
            out.write(h >>> 16);
            out.write(d, b.contentStart, b.contentLength);
        }
        return out.toByteArray();
    }

    /** The smallest Window_Descriptor (RFC 8878 3.1.1.1.2) of a window at least {@code size} bytes. */
    private static int windowDescriptor(long size) {
        for (int exponent = 0; exponent < 32; exponent++) {
            long base = 1L << (10 + exponent);
            for (int mantissa = 0; mantissa < 8; mantissa++) {
                if (base + base / 8 * mantissa >= size) {
                    return exponent << 3 | mantissa;
                }
            }
        }
        return 0xff;
    }

    private static boolean isFrame(byte[] d, int at) {
        return at + 4 <= d.length && (d[at] & 0xff) == 0x28 && (d[at + 1] & 0xff) == 0xb5 && (d[at + 2] & 0xff) == 0x2f
                && (d[at + 3] & 0xff) == 0xfd;
    }

    /** Magic 0x184D2A50 to 0x184D2A5F, little-endian, and a 4-byte frame size. */
    private static boolean isSkippable(byte[] d, int at) {
        return at + 8 <= d.length && (d[at] & 0xf0) == 0x50 && (d[at + 1] & 0xff) == 0x2a && (d[at + 2] & 0xff) == 0x4d
                && (d[at + 3] & 0xff) == 0x18;
    }

    private static long le(byte[] d, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (d[at + i] & 0xffL) << (8 * i);
        }
        return v;
    }
}
