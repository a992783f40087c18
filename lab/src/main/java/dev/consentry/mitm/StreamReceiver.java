package dev.consentry.mitm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Java end of the addon's stream: a listener (loopback unless mitmdump runs in another namespace) that takes exactly one connection (the addon's) and reads
 * its lines on one daemon thread, so events reach the capture in the order mitmdump emitted them.
 */
final class StreamReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final Consumer<StreamEvent> events;
    private final Consumer<String> problems;
    private final Thread reader;
    private final Object lock = new Object();
    private Socket connection;
    private StreamEvent.Hello hello;
    private StreamEvent.Bye bye;
    private boolean ended;
    private String broken;
    private volatile boolean closing;

    StreamReceiver(String name, Consumer<StreamEvent> events, Consumer<String> problems) throws IOException {
        this(name, InetAddress.getLoopbackAddress(), events, problems);
    }

    /** @param bind loopback, or (mitmdump in another network namespace) an address that namespace reaches */
    StreamReceiver(String name, InetAddress bind, Consumer<StreamEvent> events, Consumer<String> problems)
            throws IOException {
        this.events = events;
        this.problems = problems;
        this.server = new ServerSocket(0, 1, bind);
        this.reader = new Thread(this::run, "consentry-stream-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    Optional<StreamEvent.Hello> hello() {
        synchronized (lock) {
            return Optional.ofNullable(hello);
        }
    }

    Optional<StreamEvent.Bye> bye() {
        synchronized (lock) {
            return Optional.ofNullable(bye);
        }
    }

    /** Why the stream cannot be trusted any more: it broke, or ended before the addon said goodbye. */
    Optional<String> broken() {
        synchronized (lock) {
            return Optional.ofNullable(broken);
        }
    }

    /** Waits until the addon has closed its end (after its goodbye), or the stream broke. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        try (Socket socket = server.accept()) {
            synchronized (lock) {
                connection = socket;
            }
            // One addon per capture: nobody else gets to talk on this port.
            server.close();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    handle(line);
                }
            }
            finish(bye().isPresent() ? null : "the addon's stream ended without its goodbye");
        } catch (IOException e) {
            finish(closing ? "stopped before the addon connected or finished" : "stream failed: " + e);
        }
    }

    private void handle(String line) {
        StreamEvent event;
        try {
            event = StreamParser.parse(line);
        } catch (StreamFormatException e) {
            problems.accept(e.getMessage());
            return;
        }
        synchronized (lock) {
            if (event instanceof StreamEvent.Hello h) {
                hello = h;
            } else if (event instanceof StreamEvent.Bye b) {
                bye = b;
            }
        }
        events.accept(event);
    }

    private void finish(String brokenReason) {
        synchronized (lock) {
            ended = true;
            if (brokenReason != null && broken == null) {
                broken = brokenReason;
            }
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
            Socket s;
            synchronized (lock) {
                s = connection;
            }
            if (s != null) {
                s.close();
            }
            reader.join(2_000);
        } catch (IOException ignored) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
