package org.jqmp.nbd;

import java.time.Duration;

/**
 * Every bound jqmp-nbd puts on what a client sends, in one place. A client that exceeds one gets the error the
 * NBD protocol prescribes, and the server's log/exception text names the limit ({@link #violation}).
 *
 * @param maxPayload          largest READ or WRITE payload (doc/proto.md "maximum payload size"; QEMU: 32 MiB)
 * @param maxOptionLength     largest option data during the handshake (names are at most 4096 bytes)
 * @param maxStringLength     longest export name, description or meta context query (proto.md: 4096)
 * @param maxOptions          most options one client may send before NBD_OPT_GO / NBD_OPT_EXPORT_NAME
 * @param maxRequestsInFlight requests of one connection served at once; more wait unread (QEMU: 16)
 * @param maxStatusDescriptors most extents in one BLOCK_STATUS reply
 * @param handshakeTimeout    a client that has not finished the handshake by then is dropped (QEMU: 10 s)
 */
public record NbdLimits(int maxPayload, int maxOptionLength, int maxStringLength, int maxOptions,
                        int maxRequestsInFlight, int maxStatusDescriptors, Duration handshakeTimeout) {

    public static final NbdLimits DEFAULT = new NbdLimits(32 << 20, 64 << 10, 4096, 1024, 16, 1 << 17,
            Duration.ofSeconds(10));

    public NbdLimits {
        if (maxPayload < 512 || maxOptionLength < 4096 || maxStringLength < 1 || maxOptions < 1
                || maxRequestsInFlight < 1 || maxStatusDescriptors < 1 || handshakeTimeout == null
                || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("NBD limits out of range: " + this);
        }
    }

    public NbdLimits withHandshakeTimeout(Duration d) {
        return new NbdLimits(maxPayload, maxOptionLength, maxStringLength, maxOptions, maxRequestsInFlight,
                maxStatusDescriptors, d);
    }

    public NbdLimits withMaxRequestsInFlight(int n) {
        return new NbdLimits(maxPayload, maxOptionLength, maxStringLength, maxOptions, n, maxStatusDescriptors,
                handshakeTimeout);
    }

    /** The error for a client value that exceeds a named limit. */
    public NbdException violation(String client, String what, long value, String limitName, long limit) {
        return new NbdException(client, what + " " + value + " exceeds the limit " + limitName + " = " + limit);
    }
}
