package org.jqmp.machine.chardev;

/** QEMU's {@code null} backend. */
record NullChardev(String id) implements Chardev {
    @Override
    public String filename() {
        return "null";
    }

    @Override
    public void write(byte[] data) {
    }

    @Override
    public void close() {
    }
}
