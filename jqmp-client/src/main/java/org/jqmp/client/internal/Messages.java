package org.jqmp.client.internal;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.client.Greeting;
import org.jqmp.client.QmpEvent;
import org.jqmp.client.QmpProtocolException;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/** Reads the server's message kinds (qmp-spec "Server Greeting", "Asynchronous events") tolerantly. */
final class Messages {
    private Messages() {
    }

    /**
     * {@code {"QMP": {"version": {...}, "capabilities": [...]}}}: the three shapes qemu.qmp insists on; the
     * numbers are read if present, anything added by a newer QEMU is ignored.
     */
    static Greeting greeting(JsonObject message) {
        if (!(message.get("QMP") instanceof JsonObject qmp)) {
            throw new QmpProtocolException("expected the QMP greeting, got " + abbreviate(message));
        }
        if (!(qmp.get("version") instanceof JsonObject version) || !(qmp.get("capabilities") instanceof JsonArray caps)) {
            throw new QmpProtocolException("malformed QMP greeting (needs version object and capabilities array): "
                    + abbreviate(message));
        }
        List<String> capabilities = new ArrayList<>();
        caps.elements().forEach(c -> {
            if (c instanceof JsonString s) {
                capabilities.add(s.value());
            }
        });
        JsonObject qemu = version.get("qemu") instanceof JsonObject o ? o : JsonObject.EMPTY;
        return new Greeting((int) integer(qemu, "major"), (int) integer(qemu, "minor"), (int) integer(qemu, "micro"),
                version.get("package") instanceof JsonString p ? p.value() : "", capabilities, version, message);
    }

    static QmpEvent event(JsonObject message, String name) {
        JsonObject data = message.get("data") instanceof JsonObject d ? d : JsonObject.EMPTY;
        long seconds = -1;
        long micros = -1;
        if (message.get("timestamp") instanceof JsonObject ts) {
            seconds = integer(ts, "seconds");
            micros = integer(ts, "microseconds");
        }
        return new QmpEvent(name, data, seconds, micros, message);
    }

    private static long integer(JsonObject o, String key) {
        return o.get(key) instanceof JsonInt i ? i.value() : -1;
    }

    static String abbreviate(JsonValue value) {
        String text = org.jqmp.json.Json.write(value);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
