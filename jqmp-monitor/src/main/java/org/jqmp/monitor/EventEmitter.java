package org.jqmp.monitor;

import java.util.Set;
import org.jqmp.json.JsonObject;

/**
 * Sends an event to every negotiated session of every monitor. Rate-limited events are throttled as
 * QEMU throttles them; events hidden by the {@code -compat} output policy are not sent.
 */
public interface EventEmitter {
    /**
     * @param name     the event name, e.g. {@code STOP}
     * @param data     the event's data, or null when it has none (then the message has no {@code data} member)
     * @param features the event's special features ({@code deprecated}, {@code unstable})
     */
    void emit(String name, JsonObject data, Set<String> features);

    default void emit(String name, JsonObject data) {
        emit(name, data, Set.of());
    }
}
