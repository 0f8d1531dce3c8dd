package org.jqmp.client;

/**
 * A subscription's buffer was full and events were dropped at this point of the stream (the reader never
 * waits for a slow subscriber). Thrown once, where the gap is; the events after it follow.
 */
public final class QmpEventsLostException extends QmpClientException {
    private final long lost;

    public QmpEventsLostException(long lost, int capacity) {
        super(lost + " event(s) lost here: the subscription's buffer (" + capacity + " events) was full");
        this.lost = lost;
    }

    public long lost() {
        return lost;
    }
}
