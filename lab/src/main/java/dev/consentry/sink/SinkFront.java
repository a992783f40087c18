package dev.consentry.sink;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sink's listening socket. com.sun's HttpServer cannot switch protocols, so a WebSocket upgrade (an app's push
 * channel, a telemetry socket) used to get its 204 and the app never sent its messages: in sink mode, what it would
 * have sent on the internet never reached the capture. Here each connection's first request head is read: a WebSocket
 * upgrade is accepted (101) and its messages read and dropped until the client closes; any other connection is
 * relayed byte for byte to the HTTP server behind, which answers as it always did.
 */
final class SinkFront implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Pattern UPGRADE = Pattern.compile("(?im)^upgrade:[ \\t]*websocket[ \\t]*$");
    private static final Pattern KEY = Pattern.compile("(?im)^sec-websocket-key:[ \\t]*(\\S+)[ \\t]*$");
    private static final Pattern HOST = Pattern.compile("(?im)^host:[ \\t]*(\\S+)[ \\t]*$");

    private final ServerSocket listening;
    private final InetSocketAddress behind;
    private final Consumer<SinkRequest> record;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "consentry-sink-front");
        t.setDaemon(true);
        return t;
    });
    /** Every socket this front holds open, closed with it: a relay or a WebSocket has no end of its own. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SinkFront(ServerSocket listening, InetSocketAddress behind, Consumer<SinkRequest> record) {
        this.listening = listening;
        this.behind = behind;
        this.record = record;
    }

    /**
     * @param behind the HTTP server every connection that is no WebSocket upgrade is relayed to
     * @param record hears each WebSocket upgrade accepted (the HTTP server records the other requests itself)
     */
    static SinkFront start(InetSocketAddress bind, InetSocketAddress behind, Consumer<SinkRequest> record)
            throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(bind, 64);
        SinkFront front = new SinkFront(s, behind, record);
        front.threads.execute(front::acceptEach);
        return front;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort());
    }

    private void acceptEach() {
        while (!closed) {
            try {
                Socket client = listening.accept();
                open.add(client);
                if (closed) {
                    client.close();
                } else {
                    threads.execute(() -> serve(client));
                }
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("consentry sink: accepting a connection failed: " + e.getMessage());
                    pause(); // out of file descriptors, say: retrying at once would only spin
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            byte[] head = readHead(in);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            Matcher key = KEY.matcher(text);
            if (UPGRADE.matcher(text).find() && key.find()) {
                webSocket(client, in, text, key.group(1));
            } else {
                relay(client, in, head);
            }
        } catch (IOException e) {
            // The peer went away, or the sink is closing: nothing to answer any more.
        } finally {
            open.remove(client);
        }
    }

    /** The bytes up to and including the first empty line, or all that came before the end or {@link #MAX_HEAD}. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toByteArray();
    }

    private void relay(Socket client, InputStream in, byte[] head) throws IOException {
        Socket server = new Socket(behind.getAddress(), behind.getPort());
        open.add(server);
        try (server) {
            OutputStream toServer = server.getOutputStream();
            toServer.write(head);
            toServer.flush();
            threads.execute(() -> {
                try {
                    in.transferTo(toServer);
                    server.shutdownOutput();
                } catch (IOException e) {
                    close(server); // the client is gone: so is this relay
                }
            });
            server.getInputStream().transferTo(client.getOutputStream());
        } finally {
            open.remove(server);
        }
    }

    private void webSocket(Socket client, InputStream in, String head, String key) throws IOException {
        String[] requestLine = head.substring(0, Math.max(0, head.indexOf('\r'))).split(" ");
        Matcher host = HOST.matcher(head);
        record.accept(new SinkRequest(Instant.now(), requestLine.length > 0 ? requestLine[0] : "",
                host.find() ? host.group(1) : "", requestLine.length > 1 ? requestLine[1] : "", 0));
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            Optional<Frame> f = Frame.read(in);
            if (f.isEmpty()) {
                return;
            }
            Frame frame = f.get();
            if (frame.opcode() == 0x8) {
                // Close: answered with the client's status code, if it gave one (RFC 6455 5.5.1).
                Frame.write(out, 0x8, frame.payload().length >= 2 ? new byte[]{frame.payload()[0],
                    frame.payload()[1]} : new byte[0]);
                return;
            }
            if (frame.opcode() == 0x9) {
                Frame.write(out, 0xA, frame.payload());
            }
        }
    }

    /** RFC 6455 4.2.2: base64 of the SHA-1 of the key and the protocol's GUID. */
    static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listening.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(SinkFront::close);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One WebSocket frame (RFC 6455 5.2), unmasked. A control frame's payload is kept (ping, close); a data frame's
     * is read and dropped a buffer at a time, whatever its length.
     */
    record Frame(int opcode, byte[] payload) {
        private static final int MAX_CONTROL = 125;

        /** The next frame, or empty at the end of the stream. */
        static Optional<Frame> read(InputStream in) throws IOException {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return Optional.empty();
            }
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (long) readByte(in) << 8 | readByte(in);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | readByte(in);
                }
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            if (mask.length < 4) {
                return Optional.empty();
            }
            boolean control = opcode >= 0x8;
            if (!control) {
                return drop(in, length) ? Optional.of(new Frame(opcode, new byte[0])) : Optional.empty();
            }
            if (length > MAX_CONTROL) {
                throw new IOException("a control frame of " + length + " bytes (at most 125)");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return Optional.empty();
            }
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            return Optional.of(new Frame(opcode, payload));
        }

        /** Reads and drops {@code length} bytes; false if the stream ends first. */
        private static boolean drop(InputStream in, long length) throws IOException {
            byte[] buffer = new byte[8192];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return false;
                }
                left -= n;
            }
            return true;
        }

        private static int readByte(InputStream in) throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new SocketException("the stream ended inside a frame header");
            }
            return b;
        }

        /** A final, unmasked frame (a server's frames are never masked). */
        static void write(OutputStream out, int opcode, byte[] payload) throws IOException {
            out.write(0x80 | opcode);
            out.write(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    @Override
    public String toString() {
        return "SinkFront[" + address() + " -> " + behind + "]";
    }
}
