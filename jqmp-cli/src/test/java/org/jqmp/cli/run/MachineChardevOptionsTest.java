package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.junit.jupiter.api.Test;

/** {@code -chardev} null/file/ringbuf/memory/pty and {@code -serial}: what the machine is asked to open. */
class MachineChardevOptionsTest {
    private static RunOptions parse(String args) {
        return QemuCommandLine.parse(List.of(args.split("\\|")));
    }

    private static List<ChardevBackend> backends(RunOptions run) {
        return run.machineChardevs().stream().map(MachineChardev::backend).toList();
    }

    @Test
    void machineBackendsInCommandLineOrder() {
        RunOptions run = parse("-chardev|null,id=n|-chardev|file,id=f,path=/tmp/x.log,append=on"
                + "|-chardev|ringbuf,id=r|-chardev|memory,id=m,size=4k|-chardev|pty,id=p");
        assertThat(backends(run)).containsExactly(new ChardevBackend.Null("n"),
                new ChardevBackend.File("f", Path.of("/tmp/x.log"), true),
                new ChardevBackend.Ringbuf("r", 65536, "ringbuf"), new ChardevBackend.Ringbuf("m", 4096, "memory"),
                new ChardevBackend.Pty("p"));
        assertThat(run.chardevs()).isEmpty();
        assertThat(run.serialFrontends()).isEmpty();
    }

    @Test
    void ringbufOfSizeZeroPassesQemusPowerOfTwoCheck() {
        assertThat(backends(parse("-chardev|ringbuf,id=r,size=0")))
                .containsExactly(new ChardevBackend.Ringbuf("r", 0, "ringbuf"));
    }

    @Test
    void serialPortsNumberedByOccurrenceAndOnlyThePcOpensThem() {
        String args = "-serial|chardev:r|-serial|none|-serial|null|-serial|unix:/tmp/s.sock,server=on,wait=off"
                + "|-chardev|ringbuf,id=r";
        RunOptions pc = parse("-M|pc|" + args);
        assertThat(backends(pc)).containsExactly(new ChardevBackend.Ringbuf("r", 65536, "ringbuf"),
                new ChardevBackend.Null("serial2"), new ChardevBackend.Socket("serial3",
                        java.net.UnixDomainSocketAddress.of("/tmp/s.sock"), true, false, "unix:/tmp/s.sock,server=on"));
        assertThat(pc.chardevs()).extracting(ChardevConfig::id).containsExactly("serial3");
        assertThat(pc.serialFrontends()).containsExactly("r", "serial2", "serial3");
        assertThat(pc.machineChardevs().get(1).failure("Could not open '': No such file or directory"))
                .containsExactly("-serial null: Could not open '': No such file or directory",
                        "-serial null: could not connect serial device to character backend 'null'");
        assertThat(parse("-M|none|" + args).serialFrontends()).isEmpty();
    }

    @Test
    void aChardevHasOneFrontEnd() {
        assertThatThrownBy(() -> parse("-M|pc|-chardev|null,id=n|-serial|chardev:n|-serial|chardev:n"))
                .isInstanceOf(CommandLineException.class).hasMessage("Device 'n' is in use");
        assertThatThrownBy(() -> parse("-M|pc|-qmp|unix:/tmp/q.sock,server=on,wait=off"
                + "|-serial|chardev:compat_monitor0")).hasMessage("Device 'compat_monitor0' is in use");
        assertThat(parse("-M|none|-chardev|null,id=n|-serial|chardev:n|-serial|chardev:n").serialFrontends())
                .isEmpty();
    }

    @Test
    void aSocketNoMonitorNamesIsTheMachines() {
        RunOptions run = parse("-chardev|socket,id=s,path=/tmp/s.sock,server=on,wait=off"
                + "|-chardev|socket,id=q,path=/tmp/q.sock,server=on,wait=off|-mon|q,mode=control");
        assertThat(run.chardevs()).extracting(ChardevConfig::id).containsExactly("s", "q");
        assertThat(backends(run)).containsExactly(new ChardevBackend.Socket("s",
                java.net.UnixDomainSocketAddress.of("/tmp/s.sock"), true, false, "unix:/tmp/s.sock,server=on"));
    }

    @Test
    void fifthSerialPortOfThePcHasNoDevice() {
        RunOptions run = parse("-M|pc|-serial|null|-serial|null|-serial|null|-serial|null|-serial|null");
        assertThat(run.serialFrontends()).containsExactly("serial0", "serial1", "serial2", "serial3");
        assertThat(run.machineChardevs()).hasSize(5);
        assertThat(run.machineChardevs().getFirst().serialArgument()).isEqualTo(Optional.of("null"));
    }
}
