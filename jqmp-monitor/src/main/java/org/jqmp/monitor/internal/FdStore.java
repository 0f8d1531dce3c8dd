package org.jqmp.monitor.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.runtime.QmpException;

/**
 * A session's file descriptors: the batch that came with the latest SCM_RIGHTS message (QEMU's socket chardev
 * keeps only that one: a newer batch closes any unclaimed), and the fds named by {@code getfd}. Everything it
 * holds is closed when the session ends. Thread-safe.
 */
final class FdStore {
    private final List<FileDescriptor> pending = new ArrayList<>();
    private final Map<String, FileDescriptor> named = new HashMap<>();
    private boolean closed;

    /** A new batch arrived: it replaces (and closes) what was not claimed from the previous one. */
    synchronized void received(FileDescriptor[] batch) {
        if (batch.length == 0) {
            return;
        }
        closeAll(pending);
        pending.clear();
        if (closed) {
            closeAll(List.of(batch));
            return;
        }
        pending.addAll(List.of(batch));
    }

    /**
     * {@code getfd}: names the first pending fd; the rest of its batch are closed (getfd asks for one).
     * An existing name is replaced and its old fd closed.
     */
    synchronized void getfd(String name) {
        if (pending.isEmpty()) {
            throw QmpException.generic("No file descriptor supplied via SCM_RIGHTS");
        }
        FileDescriptor fd = pending.removeFirst();
        closeAll(pending);
        pending.clear();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            close(fd);
            throw QmpException.generic("Parameter 'fdname' expects a name not starting with a digit");
        }
        FileDescriptor old = named.put(name, fd);
        if (old != null) {
            close(old);
        }
    }

    /** {@code closefd}. */
    synchronized void closefd(String name) {
        FileDescriptor fd = named.remove(name);
        if (fd == null) {
            throw QmpException.generic("File descriptor named '" + name + "' not found");
        }
        close(fd);
    }

    /** Takes a named fd out of the store (add_client consumes it); null if there is none by that name. */
    synchronized FileDescriptor take(String name) {
        return named.remove(name);
    }

    synchronized int size() {
        return pending.size() + named.size();
    }

    /** The session ended: close everything, and anything that arrives later. */
    synchronized void closeAll() {
        closed = true;
        closeAll(pending);
        pending.clear();
        closeAll(named.values());
        named.clear();
    }

    private static void closeAll(Iterable<FileDescriptor> fds) {
        for (FileDescriptor fd : fds) {
            close(fd);
        }
    }

    static void close(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        try {
            new FileInputStream(fd).close(); // closing the stream closes the descriptor it wraps
        } catch (IOException ignored) {
            // nothing useful to do: the descriptor is gone either way
        }
    }
}
