package org.jqmp.api.runtime;

import java.util.Set;
import org.jqmp.json.JsonObject;

/**
 * Where generated event emitters send events: QEMU's {@code qapi_event_emit}, implemented by the monitor.
 */
@FunctionalInterface
public interface EventSink {
    /**
     * @param name     the event name, e.g. {@code STOP}
     * @param data     the event's data, or null when the event has none (the message then has no {@code data})
     * @param features the event's special features ({@code deprecated}, {@code unstable})
     */
    void emit(String name, JsonObject data, Set<String> features);
}
