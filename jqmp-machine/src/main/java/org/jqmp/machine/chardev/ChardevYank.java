package org.jqmp.machine.chardev;

/**
 * Where socket chardevs register with {@code yank} (QEMU's {@code util/yank.c}): one instance per socket
 * chardev, {@code {"type": "chardev", "id": ID}}, for as long as the chardev exists, and one action per live
 * connection that breaks it. The machine does not know the monitor; {@code jqmp run} connects this to the
 * monitor's yank registry.
 */
public interface ChardevYank {
    /** No yank: for machines without a monitor (tests). */
    ChardevYank NONE = new ChardevYank() {
        @Override
        public void register(String id) {
        }

        @Override
        public void unregister(String id) {
        }

        @Override
        public void addAction(String id, Runnable breakConnection) {
        }

        @Override
        public void removeAction(String id, Runnable breakConnection) {
        }
    };

    void register(String id);

    void unregister(String id);

    void addAction(String id, Runnable breakConnection);

    void removeAction(String id, Runnable breakConnection);
}
