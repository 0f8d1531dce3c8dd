package org.jqmp.monitor.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * QEMU's event rate limiting ({@code monitor_qapi_event_conf} in monitor/monitor.c): the listed events go out
 * at most once a second per key. The first is sent at once and opens a one-second window; events in the
 * window replace each other (all but the last are dropped); when the window closes the last one is sent and a
 * new window opens, or, if none came, the key's state is dropped. Global, not per monitor.
 */
final class EventThrottle implements AutoCloseable {
    /** The nine throttled events and their period. */
    static final Map<String, Long> PERIOD_MS = Map.of(
            "RTC_CHANGE", 1000L, "BLOCK_IO_ERROR", 1000L, "WATCHDOG", 1000L, "BALLOON_CHANGE", 1000L,
            "QUORUM_REPORT_BAD", 1000L, "QUORUM_FAILURE", 1000L, "VSERPORT_CHANGE", 1000L,
            "MEMORY_DEVICE_SIZE_CHANGE", 1000L, "HV_BALLOON_STATUS_REPORT", 1000L);

    /** The data member that, with the event name, makes the throttle key (qapi_event_throttle_hash). */
    private static final Map<String, String> KEY_MEMBER = Map.of(
            "VSERPORT_CHANGE", "id", "QUORUM_REPORT_BAD", "node-name",
            "MEMORY_DEVICE_SIZE_CHANGE", "qom-path", "BLOCK_IO_ERROR", "qom-path");

    private record Key(String event, String discriminator) {
    }

    /** A window is open for this key; {@code pending} is the last event offered in it, if any. */
    private static final class Window {
        JsonObject pending;
    }

    private final Consumer<JsonObject> sink;
    private final Map<Key, Window> windows = new HashMap<>();
    private ScheduledExecutorService timer;

    EventThrottle(Consumer<JsonObject> sink) {
        this.sink = sink;
    }

    void offer(String name, JsonObject data, JsonObject message) {
        Long period = PERIOD_MS.get(name);
        if (period == null) {
            sink.accept(message);
            return;
        }
        Key key = new Key(name, discriminator(name, data));
        synchronized (this) {
            Window window = windows.get(key);
            if (window != null) {
                window.pending = message;
                return;
            }
            windows.put(key, new Window());
            schedule(key, period);
        }
        sink.accept(message);
    }

    private static String discriminator(String name, JsonObject data) {
        String member = KEY_MEMBER.get(name);
        if (member == null || data == null) {
            return null;
        }
        JsonValue v = data.get(member);
        if (v == null && name.equals("BLOCK_IO_ERROR")) {
            // QEMU 7.2's BLOCK_IO_ERROR has no qom-path (added in 9.2, when QEMU began to throttle it per
            // device). Keyed by the event name alone, one failing drive's window would swallow every other
            // drive's errors; its device and node-name name the drive as the qom-path does.
            return "device=" + member(data, "device") + ",node-name=" + member(data, "node-name");
        }
        return v instanceof JsonString s ? s.value() : Objects.toString(v, null);
    }

    private static String member(JsonObject data, String name) {
        JsonValue v = data.get(name);
        return v instanceof JsonString s ? s.value() : Objects.toString(v, "");
    }

    private void schedule(Key key, long periodMs) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("jqmp-event-throttle").factory());
        }
        timer.schedule(() -> windowClosed(key, periodMs), periodMs, TimeUnit.MILLISECONDS);
    }

    private void windowClosed(Key key, long periodMs) {
        JsonObject message;
        synchronized (this) {
            Window window = windows.get(key);
            if (window == null) {
                return;
            }
            message = window.pending;
            if (message == null) {
                windows.remove(key);
                return;
            }
            window.pending = null;
            schedule(key, periodMs);
        }
        sink.accept(message);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
