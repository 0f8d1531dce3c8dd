package org.jqmp.monitor;

import java.util.Set;
import org.jqmp.api.runtime.EventSink;
import org.jqmp.json.JsonObject;

/**
 * Sends an event to every negotiated session of every monitor. Rate-limited events are throttled as QEMU
 * throttles them; events hidden by the {@code -compat} output policy are not sent. The generated event
 * emitters ({@code org.jqmp.api.*Events}) write into it.
 */
public interface EventEmitter extends EventSink {
    /**
     * @param name     the event name, e.g. {@code STOP}
     * @param data     the event's data, or null when it has none (then the message has no {@code data} member)
     * @param features the event's special features ({@code deprecated}, {@code unstable})
     */
    @Override
    void emit(String name, JsonObject data, Set<String> features);

    default void emit(String name, JsonObject data) {
        emit(name, data, Set.of());
    }
}
