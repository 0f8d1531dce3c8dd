package org.jqmp.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that break the rules, byte by byte (doc/proto.md): each one gets the error the protocol prescribes or
 * is dropped, the server keeps serving others, and no descriptor or thread is left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolErrorsTest {
    private static final long SIZE = 4 << 20;
    @TempDir
    Path dir;
    ServedImage rw;
    java.util.List<String> fdsBefore;

    @BeforeEach
    void serve() throws Exception {
        NbdServerOptions o = NbdServerOptions.defaults()
                .withLimits(NbdLimits.DEFAULT.withHandshakeTimeout(Duration.ofMillis(500)));
        rw = ServedImage.raw(dir, SIZE, "disk", true, o);
        rw.warmUp();
        fdsBefore = ServedImage.openFds();
    }

    @AfterEach
    void noLeaks() throws Exception {
        rw.awaitNoClients();
        assertThat(ServedImage.openFds()).as("open descriptors after the clients left").containsExactlyElementsOf(fdsBefore);
        rw.close();
    }

    @Test
    void badGreetingFlagsAndBadOptionMagicDropTheConnection() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(0x80)) {
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.out.writeLong(0x1234567812345678L);
            c.out.writeLong(0);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownOptionIsUnsupportedAndTheHandshakeGoesOn() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(4242, new byte[] {1, 2, 3});
            RawNbdClient.OptionReply r = c.optionReply();
            assertThat(r.option()).isEqualTo(4242);
            assertThat(r.type()).isEqualTo(Nbd.REP_ERR_UNSUP);
            c.option(Nbd.OPT_GO, RawNbdClient.goData("nope"));
            assertThat(c.optionReply().type()).isEqualTo(Nbd.REP_ERR_UNKNOWN);
            c.option(Nbd.OPT_SET_META_CONTEXT, RawNbdClient.metaData("disk", Nbd.BASE_ALLOCATION));
            assertThat(c.optionReply().type()).as("meta context before structured replies")
                    .isEqualTo(Nbd.REP_ERR_INVALID);
            assertThat(c.go("disk")).isTrue();
            assertThat(c.size).isEqualTo(SIZE);
            c.request(0, Nbd.CMD_DISC, 1, 0, 0, null);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void exportNameOptionEntersTransmissionOrDropsAnUnknownName() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(Nbd.OPT_EXPORT_NAME, "disk".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(c.in.readLong()).as("export size").isEqualTo(SIZE);
            int flags = c.in.readUnsignedShort();
            assertThat(flags & Nbd.TFLAG_HAS_FLAGS).isNotZero();
            assertThat(c.in.readNBytes(124)).as("124 zero bytes without NO_ZEROES").containsOnly(0);
            c.request(0, Nbd.CMD_READ, 9, 0, 8, null);
            assertThat(c.reply(8).cookie()).isEqualTo(9);
            c.request(0, Nbd.CMD_DISC, 10, 0, 0, null);
        }
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES)) {
            c.option(Nbd.OPT_EXPORT_NAME, "nope".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(c.closedByServer()).as("proto.md: no error reply exists for NBD_OPT_EXPORT_NAME").isTrue();
        }
    }

    @Test
    void listAndMetaContextOptions() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(Nbd.OPT_LIST, new byte[0]);
            RawNbdClient.OptionReply server = c.optionReply();
            assertThat(server.type()).isEqualTo(Nbd.REP_SERVER);
            assertThat(server.text().substring(4)).isEqualTo("disktest disk disk");
            c.expectAck();
            c.option(Nbd.OPT_LIST, new byte[1]);
            assertThat(c.optionReply().type()).isEqualTo(Nbd.REP_ERR_INVALID);
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            c.expectAck();
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            assertThat(c.optionReply().type()).as("twice").isEqualTo(Nbd.REP_ERR_INVALID);
            c.option(Nbd.OPT_LIST_META_CONTEXT, RawNbdClient.metaData("disk", "base:"));
            RawNbdClient.OptionReply ctx = c.optionReply();
            assertThat(ctx.type()).isEqualTo(Nbd.REP_META_CONTEXT);
            assertThat(ctx.text().substring(4)).isEqualTo(Nbd.BASE_ALLOCATION);
            c.expectAck();
            c.option(Nbd.OPT_SET_META_CONTEXT, RawNbdClient.metaData("disk", "qemu:dirty-bitmap:x"));
            c.expectAck();
            byte[] bad = RawNbdClient.metaData("disk", Nbd.BASE_ALLOCATION);
            c.option(Nbd.OPT_SET_META_CONTEXT, java.util.Arrays.copyOf(bad, bad.length - 3));
            assertThat(c.optionReply().type()).as("truncated query").isEqualTo(Nbd.REP_ERR_INVALID);
            c.option(Nbd.OPT_STARTTLS, new byte[0]);
            assertThat(c.optionReply().type()).isEqualTo(Nbd.REP_ERR_POLICY);
            c.option(Nbd.OPT_ABORT, new byte[0]);
            c.expectAck();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void overlongExportNameIsTooBigNamingTheLimit() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(Nbd.OPT_GO, RawNbdClient.goData("x".repeat(5000)));
            RawNbdClient.OptionReply r = c.optionReply();
            assertThat(r.type()).isEqualTo(Nbd.REP_ERR_TOO_BIG);
            assertThat(r.text()).contains("maxStringLength = 4096");
            assertThat(c.go("disk")).as("the handshake goes on").isTrue();
            c.request(0, Nbd.CMD_DISC, 1, 0, 0, null);
        }
    }

    @Test
    void manyRequestsInFlightOfEveryKindAreAllAnsweredOnce() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", true)) {
            int n = 48;
            for (int i = 0; i < n; i++) {
                long off = (long) i * 65536;
                switch (i % 4) {
                    case 0 -> c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, i, off, 4096, filled(4096, i));
                    case 1 -> c.request(0, Nbd.CMD_WRITE, i, off, 4096, filled(4096, i));
                    case 2 -> c.request(0, Nbd.CMD_BLOCK_STATUS, i, 0, SIZE, null);
                    default -> c.request(0, Nbd.CMD_FLUSH, i, 0, 0, null);
                }
            }
            java.util.Set<Long> answered = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.error()).as("request %d", r.cookie()).isZero();
                assertThat(answered.add(r.cookie())).as("cookie %d answered twice", r.cookie()).isTrue();
            }
            assertThat(answered).hasSize(n);
            for (int i = 0; i < n; i += 4) {
                c.request(0, Nbd.CMD_READ, 1000 + i, (long) i * 65536, 4096, null);
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.type()).isEqualTo(Nbd.REPLY_TYPE_OFFSET_DATA);
                assertThat(java.util.Arrays.copyOfRange(r.payload(), 8, r.payload().length)).containsOnly((byte) i);
            }
            c.request(0, Nbd.CMD_DISC, 9999, 0, 0, null);
        }
    }

    @Test
    void oversizedOptionIsTooBigThenDropped() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.out.writeLong(Nbd.IHAVEOPT);
            c.out.writeInt(Nbd.OPT_GO);
            c.out.writeInt(1 << 30);
            c.out.flush();
            RawNbdClient.OptionReply r = c.optionReply();
            assertThat(r.type()).isEqualTo(Nbd.REP_ERR_TOO_BIG);
            assertThat(r.text()).contains("maxOptionLength");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void silentClientIsDroppedAfterTheHandshakeTimeout() throws IOException {
        try (RawNbdClient c = new RawNbdClient(rw.socket)) {
            c.in.skipNBytes(18);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void outOfRangeAndUnknownCommandsAreEinvalAndTheConnectionStays() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", false)) {
            c.request(0, Nbd.CMD_READ, 1, SIZE - 512, 1024, null);
            assertThat(c.reply(1024).error()).isEqualTo(Nbd.EINVAL);
            c.request(0, Nbd.CMD_WRITE, 2, SIZE, 4, new byte[4]);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EINVAL);
            c.request(0, 99, 3, 0, 0, null);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EINVAL);
            c.request(Nbd.CMD_FLAG_DF, Nbd.CMD_READ, 4, 0, 512, null);
            assertThat(c.reply(512).error()).as("DF without structured replies").isEqualTo(Nbd.EINVAL);
            c.request(0, Nbd.CMD_BLOCK_STATUS, 5, 0, 512, null);
            assertThat(c.reply(0).error()).as("block status without a meta context").isEqualTo(Nbd.EINVAL);
            c.request(0, Nbd.CMD_READ, 6, 0, 512, null);
            RawNbdClient.Reply ok = c.reply(512);
            assertThat(ok.error()).isZero();
            assertThat(ok.cookie()).isEqualTo(6);
            c.request(0, Nbd.CMD_DISC, 7, 0, 0, null);
        }
    }

    @Test
    void oversizedReadIsEinvalOversizedWriteIsEinvalThenDisconnect() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", true)) {
            c.request(0, Nbd.CMD_READ, 1, 0, (32 << 20) + 1, null);
            RawNbdClient.Reply r = c.reply(0);
            assertThat(r.structured()).isTrue();
            assertThat(r.type()).isEqualTo(Nbd.REPLY_TYPE_ERROR);
            assertThat(r.error()).isEqualTo(Nbd.EINVAL);
            assertThat(new String(r.payload(), 6, r.payload().length - 6)).contains("maxPayload");
            c.request(0, Nbd.CMD_WRITE, 2, 0, (32 << 20) + 1, new byte[100]);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void badRequestMagicDropsTheConnection() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", false)) {
            c.out.write(new byte[28]);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void clientVanishingMidWriteLeavesNothingBehind() throws Exception {
        RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", false);
        c.request(0, Nbd.CMD_WRITE, 1, 0, 1 << 20, new byte[300_000]);
        c.close();
        rw.awaitNoClients();
        try (RawNbdClient d = RawNbdClient.connected(rw.socket, "disk", false)) {
            d.request(0, Nbd.CMD_READ, 2, 0, 16, null);
            assertThat(d.reply(16).payload()).as("the half write was never applied").containsOnly(0);
            d.request(0, Nbd.CMD_DISC, 3, 0, 0, null);
        }
    }

    @Test
    void clientVanishingWithRepliesOwedLeavesNothingBehind() throws Exception {
        RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", true);
        for (int i = 0; i < 40; i++) {
            c.request(0, Nbd.CMD_READ, i, 0, 1 << 20, null);
        }
        c.close();
    }

    @Test
    void readOnlyExportRefusesEveryWriteWithEperm(@TempDir Path other) throws Exception {
        try (ServedImage ro = ServedImage.raw(other, SIZE, "ro", false, NbdServerOptions.defaults());
             RawNbdClient c = RawNbdClient.connected(ro.socket, "ro", false)) {
            assertThat(c.transmissionFlags & Nbd.TFLAG_READ_ONLY).isNotZero();
            assertThat(c.transmissionFlags & Nbd.TFLAG_CAN_MULTI_CONN).isNotZero();
            c.request(0, Nbd.CMD_WRITE, 1, 0, 4, new byte[] {1, 2, 3, 4});
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EPERM);
            c.request(0, Nbd.CMD_TRIM, 2, 0, 4096, null);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EPERM);
            c.request(0, Nbd.CMD_WRITE_ZEROES, 3, 0, 4096, null);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.EPERM);
            c.request(0, Nbd.CMD_FLUSH, 4, 0, 0, null);
            assertThat(c.reply(0).error()).isZero();
            c.request(0, Nbd.CMD_DISC, 5, 0, 0, null);
            assertThat(c.closedByServer()).isTrue();
            ro.awaitNoClients();
        }
    }

    @Test
    void fastZeroIsRefusedWithEnotsupAndPlainZeroWorks() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", false)) {
            assertThat(c.transmissionFlags & Nbd.TFLAG_SEND_FAST_ZERO).isNotZero();
            c.request(0, Nbd.CMD_WRITE, 1, 0, 4, new byte[] {1, 2, 3, 4});
            assertThat(c.reply(0).error()).isZero();
            c.request(Nbd.CMD_FLAG_FAST_ZERO, Nbd.CMD_WRITE_ZEROES, 2, 0, 4096, null);
            assertThat(c.reply(0).error()).isEqualTo(Nbd.ENOTSUP);
            c.request(Nbd.CMD_FLAG_NO_HOLE | Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE_ZEROES, 3, 0, 2, null);
            assertThat(c.reply(0).error()).isZero();
            c.request(0, Nbd.CMD_READ, 4, 0, 4, null);
            assertThat(c.reply(4).payload()).containsExactly(0, 0, 3, 4);
            c.request(0, Nbd.CMD_DISC, 5, 0, 0, null);
        }
    }

    @Test
    void structuredReadOfAHoleAndBlockStatus() throws IOException {
        try (RawNbdClient c = RawNbdClient.connected(rw.socket, "disk", true)) {
            c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, 1, 1 << 20, 8192, filled(8192, 7));
            assertThat(c.reply(0).error()).isZero();
            c.request(0, Nbd.CMD_READ, 2, (1 << 20) - 4096, 16384, null);
            RawNbdClient.Reply hole = c.reply(0);
            assertThat(hole.type()).isEqualTo(Nbd.REPLY_TYPE_OFFSET_HOLE);
            assertThat(ByteBuffer.wrap(hole.payload()).getLong()).isEqualTo((1 << 20) - 4096);
            RawNbdClient.Reply data = c.reply(0);
            assertThat(data.type()).isEqualTo(Nbd.REPLY_TYPE_OFFSET_DATA);
            assertThat(data.payload()).hasSize(8 + 8192);
            RawNbdClient.Reply tail = c.reply(0);
            assertThat(tail.type()).isEqualTo(Nbd.REPLY_TYPE_OFFSET_HOLE);
            assertThat(tail.flags() & Nbd.REPLY_FLAG_DONE).isNotZero();
            c.request(0, Nbd.CMD_BLOCK_STATUS, 3, 0, SIZE, null);
            ByteBuffer s = ByteBuffer.wrap(c.reply(0).payload());
            assertThat(s.getInt()).isEqualTo(Nbd.BASE_ALLOCATION_ID);
            assertThat(new long[] {s.getInt(), s.getInt(), s.getInt(), s.getInt()})
                    .containsExactly(1 << 20, 3, 8192, 0);
            c.request(Nbd.CMD_FLAG_REQ_ONE, Nbd.CMD_BLOCK_STATUS, 4, 0, SIZE, null);
            assertThat(c.reply(0).payload()).hasSize(4 + 8);
            c.request(0, Nbd.CMD_DISC, 5, 0, 0, null);
        }
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
