package dev.consentry.mitm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Captures share one confdir. mitmdump creates the CA there when it finds none, so two captures starting together on
 * an empty confdir would each create one and overwrite each other: the handset would trust the wrong one. Whoever
 * finds the CA missing holds this lock (across processes: a file lock; within this JVM: overlapping-lock retries)
 * until its mitmdump has written the CA.
 */
final class CaCreationLock implements AutoCloseable {
    private static final String LOCK_FILE = ".consentry-ca.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private CaCreationLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Null when the CA exists already (no lock needed), else the held lock. */
    static CaCreationLock acquireIfCaMissing(Path confDir, Duration timeout) {
        if (caExists(confDir)) {
            return null;
        }
        try {
            Files.createDirectories(confDir);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                FileChannel ch = FileChannel.open(confDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock held = null;
                try {
                    held = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    // another capture in this JVM is creating it
                }
                if (held != null) {
                    if (caExists(confDir)) {
                        held.release();
                        ch.close();
                        return null;
                    }
                    return new CaCreationLock(ch, held);
                }
                ch.close();
                if (caExists(confDir)) {
                    return null;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("another capture has been creating the lab CA in " + confDir
                            + " for over " + timeout.toSeconds() + " s; remove " + LOCK_FILE + " if none runs");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + confDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lab CA in " + confDir, e);
        }
    }

    static boolean caExists(Path confDir) {
        return Files.isRegularFile(confDir.resolve("mitmproxy-ca.pem"))
                && Files.isRegularFile(confDir.resolve(LabCa.CERT_FILE));
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        }
    }
}
