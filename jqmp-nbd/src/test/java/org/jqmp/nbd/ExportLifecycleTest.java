package org.jqmp.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exports coming and going while clients are connected, and the server's own end (nbd-server-remove/-stop). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportLifecycleTest {
    private static final long SIZE = 1 << 20;
    @TempDir
    Path dir;

    @Test
    void safeRemovalHidesTheExportAndEndsWhenTheLastClientLeaves() throws Exception {
        try (ServedImage s = ServedImage.raw(dir, SIZE, "disk", true, NbdServerOptions.defaults())) {
            RawNbdClient old = RawNbdClient.connected(s.socket, "disk", false);
            assertThat(s.server.connections("disk")).isEqualTo(1);
            s.server.removeExport("disk", false);
            assertThat(s.server.exports()).singleElement()
                    .satisfies(e -> assertThat(e.shuttingDown()).isTrue())
                    .satisfies(e -> assertThat(e.connections()).isEqualTo(1));
            try (RawNbdClient late = new RawNbdClient(s.socket).greet(Nbd.FLAG_FIXED_NEWSTYLE)) {
                late.option(Nbd.OPT_GO, RawNbdClient.goData("disk"));
                assertThat(late.optionReply().type()).isEqualTo(Nbd.REP_ERR_UNKNOWN);
            }
            old.request(0, Nbd.CMD_READ, 1, 0, 512, null);
            assertThat(old.reply(512).error()).as("the connected client is still served").isZero();
            assertThat(s.deleted).isEmpty();
            old.request(0, Nbd.CMD_DISC, 2, 0, 0, null);
            assertThat(old.closedByServer()).isTrue();
            old.close();
            s.awaitNoClients();
            assertThat(s.deleted).containsExactly("disk");
            assertThat(s.server.exports()).isEmpty();
        }
    }

    @Test
    void hardRemovalDisconnectsTheClients() throws Exception {
        try (ServedImage s = ServedImage.raw(dir, SIZE, "disk", true, NbdServerOptions.defaults());
             RawNbdClient a = RawNbdClient.connected(s.socket, "disk", false);
             RawNbdClient b = RawNbdClient.connected(s.socket, "disk", true)) {
            s.server.removeExport("disk", true);
            assertThat(a.closedByServer()).isTrue();
            assertThat(b.closedByServer()).isTrue();
            s.awaitNoClients();
            assertThat(s.deleted).containsExactly("disk");
        }
    }

    @Test
    void removalWithoutClientsIsImmediateAndNamesAreChecked() throws Exception {
        try (ServedImage s = ServedImage.raw(dir, SIZE, "disk", true, NbdServerOptions.defaults())) {
            assertThatThrownBy(() -> s.server.addExport(new NbdExport("disk", "", s.node, false)))
                    .isInstanceOf(NbdException.class).hasMessageContaining("already has export named 'disk'");
            s.server.removeExport("disk", false);
            assertThat(s.deleted).containsExactly("disk");
            assertThatThrownBy(() -> s.server.removeExport("disk", false))
                    .isInstanceOf(NbdException.class).hasMessageContaining("Export 'disk' is not found");
            try (var ro = readOnlyNode()) {
                assertThatThrownBy(() -> new NbdExport("rw", "", ro, true))
                        .isInstanceOf(NbdException.class).hasMessageContaining("opened read-only");
            }
        }
    }

    private org.jqmp.block.BlockNode readOnlyNode() {
        Path p = dir.resolve("ro.raw");
        org.jqmp.block.BlockImages.createRaw(p, 4096);
        return org.jqmp.block.BlockImages.open(p, org.jqmp.block.OpenOptions.readOnlyOptions());
    }

    @Test
    void closingTheServerDisconnectsEveryoneDeletesEveryExportAndTheSocket() throws Exception {
        ServedImage s = ServedImage.raw(dir, SIZE, "disk", true, NbdServerOptions.defaults());
        s.server.addExport(new NbdExport("second", "", s.node, false));
        try (RawNbdClient c = RawNbdClient.connected(s.socket, "second", false)) {
            s.close();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(s.deleted).containsExactlyInAnyOrder("disk", "second");
        assertThat(Files.exists(s.socket)).as("socket file removed").isFalse();
        assertThat(s.server.clientCount()).isZero();
    }

    @Test
    void tcpListenerOnAFreePortServesNbdinfo() throws Exception {
        Tool.require("nbdinfo", "libnbd-bin");
        Path image = dir.resolve("tcp.raw");
        org.jqmp.block.BlockImages.createRaw(image, SIZE);
        try (var node = org.jqmp.block.BlockImages.open(image, org.jqmp.block.OpenOptions.readWrite());
             NbdServer server = NbdServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     NbdServerOptions.defaults())) {
            server.addExport(new NbdExport("tcp", "", node, true));
            int port = ((InetSocketAddress) server.address()).getPort();
            String size = Tool.ok("nbdinfo", "--size", "nbd://127.0.0.1:" + port + "/tcp").out().trim();
            assertThat(size).isEqualTo(String.valueOf(SIZE));
            assertThat(server.exports()).extracting(e -> e.export().name()).isEqualTo(List.of("tcp"));
        }
    }
}
