package org.jqmp.client;

import org.jqmp.json.JsonLimits;

/**
 * Every bound the client puts on what a server sends, in one place. A server that exceeds one gets its
 * connection closed with a {@link QmpProtocolException} naming the limit.
 *
 * @param json               the JSON decoder's limits (QEMU's own by default: 64 MiB per message)
 * @param greetingBytes      the most bytes read before the greeting is complete
 * @param maxCallsInFlight   commands sent and not yet answered; one more fails at once
 */
public record ClientLimits(JsonLimits json, int greetingBytes, int maxCallsInFlight) {
    public static final ClientLimits DEFAULT = new ClientLimits(JsonLimits.QEMU, 1 << 20, 65_536);

    public ClientLimits {
        java.util.Objects.requireNonNull(json, "json");
        if (greetingBytes <= 0 || maxCallsInFlight <= 0) {
            throw new IllegalArgumentException("client limits must be positive: greetingBytes=" + greetingBytes
                    + ", maxCallsInFlight=" + maxCallsInFlight);
        }
    }
}
