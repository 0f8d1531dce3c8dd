package org.jqmp.client;

import java.time.Instant;
import java.util.function.Function;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.json.JsonObject;

/**
 * An asynchronous event (qmp-spec "Asynchronous events"): its name, its data (empty when the server left
 * {@code data} out), and the server's timestamp ({@code -1}/{@code -1} when the host had no time).
 */
public record QmpEvent(String name, JsonObject data, long seconds, long microseconds, JsonObject json) {
    public Instant timestamp() {
        return Instant.ofEpochSecond(seconds, Math.max(0, microseconds) * 1000);
    }

    /** The data as a generated type, leniently: {@code event.data(in -> ShutdownData.read(in, null))}. */
    public <T> T data(Function<QObjectInput, T> reader) {
        return reader.apply(QObjectInput.lenient(data));
    }
}
