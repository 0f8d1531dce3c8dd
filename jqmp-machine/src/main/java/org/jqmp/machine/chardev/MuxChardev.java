package org.jqmp.machine.chardev;

/**
 * QEMU's {@code mux} ({@code chardev/char-mux.c}): front ends attach to the mux, which writes through to its
 * base chardev; the base counts as in use for as long as the mux exists. {@code query-chardev} calls it
 * {@code mux} (observed).
 */
final class MuxChardev implements Chardev {
    private final String id;
    private final Chardev base;

    MuxChardev(String id, Chardev base) {
        this.id = id;
        this.base = base;
    }

    @Override
    public String id() {
        return id;
    }

    String baseId() {
        return base.id();
    }

    @Override
    public String filename() {
        return "mux";
    }

    @Override
    public void write(byte[] data) {
        base.write(data);
    }

    /** What the base receives goes to the mux's front end. */
    @Override
    public void connectInput(java.util.function.Consumer<byte[]> receiver) {
        base.connectInput(receiver);
    }

    /** The base stays: it is a chardev of its own, removed on its own. */
    @Override
    public void close() {
    }
}
