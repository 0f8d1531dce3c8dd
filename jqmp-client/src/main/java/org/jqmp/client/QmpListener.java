package org.jqmp.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jqmp.client.internal.Acceptor;

/**
 * A socket the client listens on for a QEMU that connects out ({@code -qmp unix:PATH} or
 * {@code -qmp tcp:HOST:PORT} without {@code server=on}): bind it, start QEMU, then
 * {@link QmpClient#accept}. With a reconnect policy the client accepts the next connection here after a
 * disconnect. Owned by the caller: close it when done.
 */
public final class QmpListener implements AutoCloseable {
    private final Acceptor acceptor;

    private QmpListener(Acceptor acceptor) {
        this.acceptor = acceptor;
    }

    /** Listens at {@code address}; a TCP port 0 picks a free port (see {@link #address()}). */
    public static QmpListener bind(QmpAddress address) {
        try {
            return new QmpListener(Acceptor.bind(address));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen at " + address + ": " + e.getMessage(), e);
        }
    }

    public QmpAddress address() {
        return acceptor.address();
    }

    Acceptor acceptor() {
        return acceptor;
    }

    @Override
    public void close() {
        try {
            acceptor.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the listener at " + address() + " failed", e);
        }
    }
}
