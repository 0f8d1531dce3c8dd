package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jqmp.json.JsonEncoder;
import org.jqmp.machine.block.DriveConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code -blockdev}'s dotted syntax: index keys make lists ({@code keyval_listify}), as QEMU 7.2 reads
 * {@code inject-error.0.event=read_aio} (texts checked against qemu-system-x86_64 7.2).
 */
class BlockdevArgumentTest {
    @Test
    void indexKeysMakeAListOfObjects() {
        BlockdevArgument a = BlockdevArgument.parse("driver=blkdebug,node-name=d,image.driver=file,image.filename=x,"
                + "inject-error.0.event=read_aio,inject-error.1.event=write_aio,inject-error.0.errno=28", "-blockdev");
        assertThat(JsonEncoder.encode(a.options().get("inject-error"), false)).isEqualTo(
                "[{\"event\": \"read_aio\", \"errno\": \"28\"}, {\"event\": \"write_aio\"}]");
        assertThat(JsonEncoder.encode(a.options().get("image"), false))
                .isEqualTo("{\"driver\": \"file\", \"filename\": \"x\"}");
        assertThat(a.keyval()).isTrue();
    }

    @Test
    void aMissingIndexIsNamed() {
        assertThatThrownBy(() -> BlockdevArgument.parse("driver=blkdebug,inject-error.1.event=read_aio", "-blockdev x"))
                .isInstanceOf(CommandLineException.class).hasMessageContaining("Parameter 'inject-error.0' missing");
    }

    @Test
    void driveBlkdebugOptionsBecomeAJsonNameInTheOrderGiven() {
        DriveConfig c = QemuCommandLine.parse(List.of("-nodefaults", "-drive", "if=none,id=d0,driver=blkdebug,"
                + "image.filename=/x/a,,b.raw,inject-error.0.event=read_aio,inject-error.0.errno=5")).drives()
                .getFirst()
                .config();
        assertThat(c.format()).isNull();
        assertThat(c.file()).isEqualTo("json:{\"driver\": \"blkdebug\", \"image\": {\"driver\": \"file\", "
                + "\"filename\": \"/x/a,b.raw\"}, \"inject-error\": [{\"event\": \"read_aio\", \"errno\": \"5\"}]}");
    }
}
