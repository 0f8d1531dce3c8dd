package org.jqmp.block.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.jqmp.block.BlockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blkdebug config files and string options: QEMU's defaults and its refusals. */
class BlkdebugConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsInjectErrorAndSetStateSectionsInOrder() throws Exception {
        Path file = dir.resolve("bd.conf");
        Files.writeString(file, """
                # fail the second read
                [inject-error]
                event = "read_aio"
                errno = "28"
                sector = "2"
                once = "on"
                state = "2"

                [set-state]
                event = "read_aio"
                new_state = "2"
                [inject-error]
                event = "flush_to_disk"
                iotype = "flush"
                """);
        BlkdebugConfig config = BlkdebugConfig.read(file);
        assertThat(config.injectErrors()).containsExactly(
                new InjectErrorRule(DebugEvent.READ_AIO, 2, DebugIoType.DEFAULT, 28, 2, true, false),
                new InjectErrorRule(DebugEvent.FLUSH_TO_DISK, 0, Set.of(DebugIoType.FLUSH), 5, -1, false, false));
        assertThat(config.setStates()).containsExactly(new SetStateRule(DebugEvent.READ_AIO, 0, 2));
    }

    @Test
    void refusesWhatQemuRefuses() throws Exception {
        assertThatThrownBy(() -> BlkdebugConfig.read(dir.resolve("none.conf"))).isInstanceOf(BlockException.class)
                .hasMessage("Could not read blkdebug config file: No such file or directory");
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "[inject-error]\nevent = \"bogus\"\n");
        assertThatThrownBy(() -> BlkdebugConfig.read(file)).hasMessageContaining("Invalid event name \"bogus\"");
        Files.writeString(file, "[other]\n");
        assertThatThrownBy(() -> BlkdebugConfig.read(file))
                .hasMessageContaining(":1: There is no option group 'other'");
        Files.writeString(file, "[inject-error]\nevent read_aio\n");
        assertThatThrownBy(() -> BlkdebugConfig.read(file)).hasMessageContaining(":2: parse error");
        assertThatThrownBy(() -> Rules.injectError(Map.of("errno", "5"))).hasMessage("Missing event name for rule");
        assertThatThrownBy(() -> Rules.injectError(Map.of("event", "read_aio", "iotype", "x")))
                .hasMessage("Invalid I/O type \"x\"");
        assertThatThrownBy(() -> Rules.injectError(Map.of("event", "read_aio", "size", "1")))
                .hasMessage("Invalid parameter 'size'");
        assertThatThrownBy(() -> Rules.setState(Map.of("event", "read_aio"))).hasMessageContaining("new_state");
    }
}
