package org.jqmp.client;

import org.jqmp.json.JsonObject;

/**
 * What happens to a client that is not the answer to a call: connection changes and anything dropped.
 * Called on the client's reader or reconnect thread; must not block. Every method has a no-op default.
 */
public interface ClientListener {
    /** The connection was lost (or could not be re-made); calls in flight failed with {@code cause}. */
    default void disconnected(QmpTransportException cause) {
    }

    /** A new connection is greeted and negotiated after {@code attempt} tries. */
    default void reconnected(Greeting greeting, int attempt) {
    }

    /** A reply whose id no call waits for (timed out, cancelled, or never ours): dropped, as the spec says. */
    default void unknownReply(JsonObject reply) {
    }

    /** An error reply without id (the server could not parse something we sent), or unparsable server output. */
    default void serverError(String message) {
    }

    /** A subscription's buffer was full; {@code lost} events are gone in total for it. */
    default void eventsLost(EventSubscription subscription, long lost) {
    }

    /** A typed result or event data had members or enum values this build does not know. */
    default void drift(String command, java.util.List<String> drift) {
    }
}
