package org.jqmp.monitor.internal;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonObject;
import org.jqmp.monitor.EventEmitter;

/**
 * Builds event messages and sends them to every session in command mode (sessions still negotiating get
 * nothing, and nothing is queued for them), after the throttle has had its say.
 */
public final class EventBroadcaster implements EventEmitter {
    private final Set<MonitorSession> sessions = new CopyOnWriteArraySet<>();
    private final CompatPolicy policy;
    private final EventThrottle throttle;

    public EventBroadcaster(CompatPolicy policy) {
        this.policy = policy;
        this.throttle = new EventThrottle(this::broadcast);
    }

    void register(MonitorSession session) {
        sessions.add(session);
    }

    void unregister(MonitorSession session) {
        sessions.remove(session);
    }

    @Override
    public void emit(String name, JsonObject data, Set<String> features) {
        if (policy.hides(features)) {
            return;
        }
        throttle.offer(name, data, build(name, data));
    }

    /** QEMU's qmp_event_build_dict: event, data only when non-empty, and the wall-clock timestamp. */
    static JsonObject build(String name, JsonObject data) {
        Instant now = Instant.now();
        JsonObject timestamp = JsonObject.builder()
                .put("seconds", now.getEpochSecond())
                .put("microseconds", now.getNano() / 1000)
                .build();
        JsonObject.Builder event = JsonObject.builder().put("event", name);
        if (data != null && data.size() > 0) {
            event.put("data", data);
        }
        return event.put("timestamp", timestamp).build();
    }

    private void broadcast(JsonObject message) {
        for (MonitorSession session : sessions) {
            session.deliverEvent(message);
        }
    }

    /** Stops the throttle's timer. */
    public void close() {
        throttle.close();
    }
}
