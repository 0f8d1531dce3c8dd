package org.jqmp.block.qcow2;

import java.nio.file.Path;
import java.util.Random;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;

/**
 * The child process of {@link Qcow2CrashTest}: applies batches of deterministic operations to an image, flushes
 * after each batch and only then prints {@code FLUSHED <batch>}, until it is killed.
 * Arguments: image, seed, first batch.
 */
public final class CrashWriter {
    static final int OPS_PER_BATCH = 8;

    /**
     * One operation: kind 0 write, 1 write-zeroes, 2 discard of whole clusters (then zeroes: no backing file), 3 an
     * internal snapshot created (or, with three already there, the oldest deleted): later writes copy on write.
     */
    record Op(int kind, int offset, byte[] data, int length) {
    }

    static Op op(long seed, long index, int imageSize) {
        if (index % (OPS_PER_BATCH * 3L) == 0) {
            return new Op(3, 0, null, 0); // every third batch starts with a snapshot: the guest content stays
        }
        Random r = new Random(seed * 1_000_003L + index);
        int len = 1 + r.nextInt(r.nextInt(4) == 0 ? 256 * 1024 : 9000);
        int off = r.nextInt(imageSize - len);
        int kind = r.nextInt(10) < 8 ? 0 : r.nextInt(2) + 1;
        if (kind == 2) { // discard is advisory for partial clusters: keep it to whole 4 KiB clusters here
            off &= ~4095;
            len = Math.max(4096, len & ~4095);
        }
        byte[] data = null;
        if (kind == 0) {
            data = new byte[len];
            r.nextBytes(data);
        }
        return new Op(kind, off, data, len);
    }

    static void apply(Op op, byte[] mirror) {
        if (op.kind() == 3) {
            return;
        }
        if (op.kind() == 0) {
            System.arraycopy(op.data(), 0, mirror, op.offset(), op.length());
        } else {
            java.util.Arrays.fill(mirror, op.offset(), op.offset() + op.length(), (byte) 0);
        }
    }

    public static void main(String[] args) {
        Path image = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        long batch = Long.parseLong(args[2]);
        try (BlockNode n = BlockImages.open(image, OpenOptions.readWrite())) {
            int size = (int) n.size();
            System.out.println("READY");
            System.out.flush();
            for (; ; batch++) {
                for (int i = 0; i < OPS_PER_BATCH; i++) {
                    Op op = op(seed, batch * OPS_PER_BATCH + i, size);
                    switch (op.kind()) {
                        case 0 -> n.write(op.offset(), op.data(), 0, op.length());
                        case 1 -> n.writeZeroes(op.offset(), op.length());
                        case 3 -> snapshot((Qcow2Image) n, batch);
                        default -> n.discard(op.offset(), op.length());
                    }
                }
                n.flush();
                System.out.println("FLUSHED " + batch);
                System.out.flush();
            }
        }
    }

    private static void snapshot(Qcow2Image img, long batch) {
        var existing = Snapshots.list(img);
        if (existing.size() >= 3) {
            Snapshots.delete(img, existing.get(0));
        } else {
            Snapshots.create(img, "batch-" + batch, java.time.Instant.now());
        }
    }
}
