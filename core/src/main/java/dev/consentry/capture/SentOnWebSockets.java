package dev.consentry.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a handset sent on its WebSocket connections, message by message, by the id of the flow that upgraded. A
 * {@link CapturedFlow} holds only the upgrade request; mitmproxy keeps the messages on the flow's {@code websocket},
 * which reaches Consentry apart from the flows (mitmdump's -w file, a HAR's {@code _webSocketMessages}).
 *
 * @param byFlow a flow's messages in the order sent; a flow that upgraded but whose messages are unknown has no entry
 */
public record SentOnWebSockets(Map<String, List<byte[]>> byFlow) {
    public static final SentOnWebSockets NONE = new SentOnWebSockets(Map.of());

    public SentOnWebSockets {
        Map<String, List<byte[]>> copy = new LinkedHashMap<>();
        byFlow.forEach((id, messages) -> copy.put(id, List.copyOf(messages)));
        byFlow = Collections.unmodifiableMap(copy);
    }

    /** The flow's messages, none when it sent none or they are unknown. */
    public List<byte[]> of(String flowId) {
        return byFlow.getOrDefault(flowId, List.of());
    }

    /** Whether the flow's messages are known (it may have sent none). */
    public boolean holds(String flowId) {
        return byFlow.containsKey(flowId);
    }

    /** Each flow's messages made over by {@code change(flowId, message)}. */
    public SentOnWebSockets map(BiFunction<String, byte[], byte[]> change) {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        byFlow.forEach((id, messages) -> out.put(id, messages.stream().map(m -> change.apply(id, m)).toList()));
        return new SentOnWebSockets(out);
    }
}
