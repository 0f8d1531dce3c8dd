package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.img.Sizes;
import org.junit.jupiter.api.Test;

/** The on-disk structures on their own. */
class Qcow2StructuresTest {
    @Test
    void refcountEntriesOfEveryWidthRoundTrip() {
        for (int order = 0; order <= 6; order++) {
            RefcountBlock b = new RefcountBlock(0, new byte[512], order);
            int entries = 512 * 8 >> order;
            long max = RefcountBlock.maxRefcount(order);
            Random r = new Random(order);
            long[] expect = new long[entries];
            for (int i = 0; i < entries; i++) {
                expect[i] = order == 6 ? r.nextLong() & Long.MAX_VALUE : r.nextLong() & max;
                b.set(i, expect[i]);
            }
            for (int i = 0; i < entries; i++) {
                assertThat(b.get(i)).as("order %d entry %d", order, i).isEqualTo(expect[i]);
            }
        }
        // QEMU packs sub-byte entries from the least significant bit
        RefcountBlock one = new RefcountBlock(0, new byte[512], 0);
        one.set(0, 1);
        one.set(3, 1);
        assertThat(one.data[0]).isEqualTo((byte) 0b1001);
        RefcountBlock sixteen = new RefcountBlock(0, new byte[512], 4);
        sixteen.set(1, 0x0102);
        assertThat(sixteen.data).startsWith(0, 0, 1, 2);
    }

    @Test
    void compressedDescriptorRoundTrips() {
        for (int cb = 9; cb <= 21; cb++) {
            long offset = (123_456_789L << 3) + 77;
            int length = (1 << cb) - 600;
            long d = Compression.descriptor(offset, Math.max(1, length), cb);
            assertThat(d & (1L << 62)).isNotZero();
            assertThat(Compression.hostOffset(d, cb)).isEqualTo(offset);
            assertThat(Compression.compressedBytes(d, cb)).isGreaterThanOrEqualTo(Math.max(1, length))
                    .isLessThan(Math.max(1, length) + 512);
        }
        byte[] cluster = new byte[4096];
        cluster[100] = 7;
        byte[] packed = Compression.deflate(cluster);
        assertThat(Compression.inflate(packed, packed.length, 4096)).isEqualTo(cluster);
        assertThat(Compression.inflate(new byte[] {1, 2, 3}, 3, 4096)).isNull();
    }

    @Test
    void headerEncodesAndParsesBack() {
        Qcow2Header h = new Qcow2Header(3, 0, 0, 16, 1 << 30, 0, 2, 0x30000, 0x10000, 1, 0, 0, 0, 1, 0, 4, 112, 0,
                List.of(), null).withBacking("base.qcow2", "qcow2");
        byte[] b = h.encode();
        Qcow2Header back = Qcow2Header.parse("x", b, 1 << 20, BlockLimits.DEFAULT);
        assertThat(back.backingFile()).isEqualTo("base.qcow2");
        assertThat(back.backingFormat()).isEqualTo("qcow2");
        assertThat(back.lazyRefcounts()).isTrue();
        assertThat(back.size()).isEqualTo(1 << 30);
        assertThat(back.extensions()).extracting(HeaderExtension::type)
                .containsExactly(HeaderExtension.BACKING_FORMAT, HeaderExtension.FEATURE_NAME_TABLE);
        assertThat(back.encode()).isEqualTo(b);
    }

    @Test
    void sizesAsQemuWritesThem() {
        assertThat(Sizes.human(0)).isEqualTo("0 B");
        assertThat(Sizes.human(200704)).isEqualTo("196 KiB");
        assertThat(Sizes.human(10 << 20)).isEqualTo("10 MiB");
        assertThat(Sizes.human(1000)).isEqualTo("0.977 KiB");
        assertThat(Sizes.human(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(Sizes.parse("10M")).isEqualTo(10 << 20);
        assertThat(Sizes.parse("1.5G")).isEqualTo(3L << 29);
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
    }
}
