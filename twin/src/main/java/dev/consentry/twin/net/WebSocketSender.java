package dev.consentry.twin.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A firmware's WebSocket (transports {@code ws}, {@code wss}): the GET upgrade, the rendered body as one message (text
 * when it is UTF-8, else binary: a gzip'd one), then a close, as a push client that registers and hangs up. Through
 * the proxy it is java.net.http's client, which tunnels even plain {@code ws} with CONNECT; without one it is written
 * here on the socket, since that client cannot be pointed at an address other than the host's. Each outcome is one
 * log line, as for HTTP: status, messages sent, how it closed.
 */
final class WebSocketSender {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** How long the server may take to answer the close before the socket is dropped. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    WebSocketSender(Duration timeout) {
        this.timeout = timeout;
    }

    /** Through {@code client}, which holds the proxy and the trust; returns the outcome for the log. */
    String viaClient(HttpClient client, RenderedRequest request) throws InterruptedException {
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(timeout);
        request.headers().forEach(b::header);
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws;
        try {
            ws = b.buildAsync(request.uri(), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                    closed.complete(status);
                    return null;
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "failed: " + Uplink.describe(e.getCause());
        } catch (TimeoutException e) {
            return "failed: no WebSocket handshake within " + timeout.toSeconds() + " s";
        }
        byte[] body = request.body();
        try {
            Optional<String> text = text(body);
            if (body.length > 0) {
                (text.isPresent() ? ws.sendText(text.get(), true) : ws.sendBinary(ByteBuffer.wrap(body), true))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String sent = sent(body, text.isPresent());
            try {
                int status = closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return "WebSocket open, " + sent + ", closed " + status;
            } catch (TimeoutException e) {
                return "WebSocket open, " + sent + ", no close from the server within " + CLOSE_WAIT.toSeconds() + " s";
            }
        } catch (ExecutionException e) {
            return "WebSocket open, then failed: " + Uplink.describe(e.getCause());
        } catch (TimeoutException e) {
            return "WebSocket open, then stalled sending for " + timeout.toSeconds() + " s";
        } finally {
            ws.abort();
        }
    }

    /** Over {@code conn}, already connected to the server (TLS done for wss): the handshake is written here. */
    String onSocket(Socket conn, RenderedRequest request) throws IOException {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        OutputStream out = conn.getOutputStream();
        out.write(head(request, key).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(conn.getInputStream());
        String status = line(in);
        if (status == null) {
            return "connection closed without a response";
        }
        String accept = null;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("sec-websocket-accept")) {
                accept = h.substring(colon + 1).trim();
            }
        }
        if (!status.matches("HTTP/1\\.1 101( .*)?")) {
            return status + " (no WebSocket)";
        }
        if (!accept(key).equals(accept)) {
            // What a client's stack does when the server did not read its key: it sends nothing.
            return status + ", but Sec-WebSocket-Accept is " + accept + ": nothing sent";
        }
        byte[] body = request.body();
        Optional<String> text = text(body);
        if (body.length > 0) {
            out.write(frame(text.isPresent() ? 1 : 2, body));
        }
        out.write(frame(8, new byte[] {(byte) (WebSocket.NORMAL_CLOSURE >> 8), (byte) WebSocket.NORMAL_CLOSURE}));
        out.flush();
        conn.setSoTimeout((int) CLOSE_WAIT.toMillis());
        String sent = sent(body, text.isPresent());
        try {
            return status + ", " + sent + ", " + awaitClose(in);
        } catch (SocketTimeoutException e) {
            return status + ", " + sent + ", no close from the server within " + CLOSE_WAIT.toSeconds() + " s";
        } catch (EOFException e) {
            return status + ", " + sent + ", connection closed inside a frame";
        }
    }

    private static String sent(byte[] body, boolean text) {
        return body.length == 0 ? "no message sent" : "1 " + (text ? "text" : "binary") + " message sent ("
                + body.length + " bytes)";
    }

    /** The body as a text message's string, if it is UTF-8 (strictly: a gzip'd body is not). */
    private static Optional<String> text(byte[] body) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String head(RenderedRequest r, String key) {
        return r.originHead().append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n\r\n").toString();
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** One final frame from a client: masked, as RFC 6455 5.3 requires of every client frame. */
    private byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 1 << 16) {
            f.write(0x80 | 126);
            f.write(n >> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) n >> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** Reads the server's frames until its close (a few at most: the handset sent its close already). */
    private static String awaitClose(InputStream in) throws IOException {
        for (int frames = 0; frames < 64; frames++) {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return "connection closed without a close frame";
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = (long) readByte(in) << 8 | readByte(in);
            } else if (length == 127) {
                length = 0;
                for (int k = 0; k < 8; k++) {
                    length = length << 8 | readByte(in);
                }
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
            if ((first & 0x0f) == 8) {
                byte[] payload = in.readNBytes((int) Math.min(length, 125));
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                }
                return payload.length >= 2 ? "closed " + ((payload[0] & 0xff) << 8 | payload[1] & 0xff) : "closed";
            }
            in.skipNBytes(length);
        }
        return "no close from the server after 64 frames";
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame header");
        }
        return b;
    }

    /** A header line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String l = cur.toString(StandardCharsets.ISO_8859_1);
                return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            }
            if (cur.size() > 8192) {
                throw new IOException("a response header line over 8 KB");
            }
            cur.write(b);
        }
        return cur.size() == 0 ? null : cur.toString(StandardCharsets.ISO_8859_1);
    }
}
