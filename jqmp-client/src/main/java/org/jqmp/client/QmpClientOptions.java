package org.jqmp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client connects and behaves. Start from {@link #DEFAULT} and change what you need:
 * {@code QmpClientOptions.DEFAULT.withCallTimeout(Duration.ofSeconds(5)).withReconnect(...)}.
 *
 * @param negotiate      send {@code qmp_capabilities} after the greeting (false: the caller does it)
 * @param oob            enable {@code oob} when the server offers it
 * @param connectTimeout the most time for connecting, the greeting and the negotiation
 * @param callTimeout    the default wait for a reply; a {@link Request} may override it
 * @param eventBuffer    the default capacity of a subscription's buffer
 * @param reconnect      what to do when the connection drops
 * @param transcript     where to record every message sent and received, or null
 * @param listener       told about disconnects, dropped replies and events, drift
 * @param limits         the bounds on what the server sends
 */
public record QmpClientOptions(boolean negotiate, boolean oob, Duration connectTimeout, Duration callTimeout,
                               int eventBuffer, ReconnectPolicy reconnect, Transcript transcript,
                               ClientListener listener, ClientLimits limits) {
    public static final QmpClientOptions DEFAULT = new QmpClientOptions(true, true, Duration.ofSeconds(10),
            Duration.ofSeconds(60), 1024, ReconnectPolicy.NEVER, null, new ClientListener() { }, ClientLimits.DEFAULT);

    public QmpClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(limits, "limits");
        if (eventBuffer <= 0) {
            throw new IllegalArgumentException("eventBuffer must be positive, not " + eventBuffer);
        }
    }

    public QmpClientOptions withNegotiate(boolean value) {
        return new QmpClientOptions(value, oob, connectTimeout, callTimeout, eventBuffer, reconnect, transcript,
                listener, limits);
    }

    public QmpClientOptions withOob(boolean value) {
        return new QmpClientOptions(negotiate, value, connectTimeout, callTimeout, eventBuffer, reconnect,
                transcript, listener, limits);
    }

    public QmpClientOptions withConnectTimeout(Duration value) {
        return new QmpClientOptions(negotiate, oob, value, callTimeout, eventBuffer, reconnect, transcript,
                listener, limits);
    }

    public QmpClientOptions withCallTimeout(Duration value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, value, eventBuffer, reconnect, transcript,
                listener, limits);
    }

    public QmpClientOptions withEventBuffer(int value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, callTimeout, value, reconnect, transcript,
                listener, limits);
    }

    public QmpClientOptions withReconnect(ReconnectPolicy value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, callTimeout, eventBuffer, value, transcript,
                listener, limits);
    }

    public QmpClientOptions withTranscript(Transcript value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, callTimeout, eventBuffer, reconnect, value,
                listener, limits);
    }

    public QmpClientOptions withListener(ClientListener value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, callTimeout, eventBuffer, reconnect,
                transcript, value, limits);
    }

    public QmpClientOptions withLimits(ClientLimits value) {
        return new QmpClientOptions(negotiate, oob, connectTimeout, callTimeout, eventBuffer, reconnect,
                transcript, listener, value);
    }
}
