package org.jqmp.machine.chardev;

/** QEMU's {@code null} backend: what the front end writes goes nowhere (but to the log, if there is one). */
final class NullChardev implements Chardev {
    private final String id;
    private volatile ChardevLog log = ChardevLog.NONE;

    NullChardev(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String filename() {
        return "null";
    }

    @Override
    public void write(byte[] data) {
        log.write(data);
    }

    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
    }
}
