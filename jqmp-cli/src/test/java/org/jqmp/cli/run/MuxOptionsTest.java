package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.jqmp.machine.chardev.ChardevBackend;
import org.junit.jupiter.api.Test;

/** {@code mux=on}, the {@code mux} backend and {@code -serial mon:...}: the base, the mux, its human monitor. */
class MuxOptionsTest {
    private static RunOptions parse(String args) {
        return QemuCommandLine.parse(List.of(args.split("\\|")));
    }

    @Test
    void muxOnOpensTheBackendAsIdBaseAndTheMuxAsId() {
        RunOptions run = parse("-M|pc|-chardev|socket,id=mx,path=/tmp/mx.sock,server=on,wait=off,mux=on"
                + "|-serial|chardev:mx|-mon|chardev=mx,mode=readline");
        assertThat(run.machineChardevs()).extracting(MachineChardev::backend).containsExactly(
                new ChardevBackend.Socket("mx-base", UnixDomainSocketAddress.of("/tmp/mx.sock"), true, false,
                        "unix:/tmp/mx.sock,server=on"),
                new ChardevBackend.Mux("mx", "mx-base"));
        assertThat(run.machineChardevs()).extracting(MachineChardev::humanMonitor).containsExactly(false, true);
        assertThat(run.serialFrontends()).containsExactly("mx");
        assertThat(run.monitors()).isEmpty(); // the human monitor is the machine's, not a QMP endpoint
        assertThat(run.chardevs()).isEmpty();
    }

    @Test
    void monPrefixOfSerialMakesAMuxWithAHumanMonitor() {
        RunOptions run = parse("-M|pc|-serial|mon:unix:/tmp/m.sock,server=on,wait=off");
        assertThat(run.machineChardevs()).extracting(MachineChardev::backend).containsExactly(
                new ChardevBackend.Socket("serial0-base", UnixDomainSocketAddress.of("/tmp/m.sock"), true, false,
                        "unix:/tmp/m.sock,server=on"),
                new ChardevBackend.Mux("serial0", "serial0-base"));
        assertThat(run.machineChardevs().getLast().humanMonitor()).isTrue();
        assertThat(run.serialFrontends()).containsExactly("serial0");
    }

    @Test
    void monStdioIsTheMachinesStdioUnderAMuxAndStdioHasOneUser() {
        RunOptions run = parse("-M|pc|-serial|mon:stdio");
        assertThat(run.machineChardevs()).extracting(MachineChardev::backend).containsExactly(
                new ChardevBackend.Stdio("serial0-base", true), new ChardevBackend.Mux("serial0", "serial0-base"));
        assertThatThrownBy(() -> parse("-serial|mon:stdio|-qmp|stdio"))
                .hasMessageContaining("cannot use stdio by multiple character devices");
        assertThatThrownBy(() -> parse("-chardev|stdio,id=s,mux=on|-serial|mon:stdio"))
                .hasMessageContaining("cannot use stdio by multiple character devices");
    }

    @Test
    void aQmpMonitorOnAMuxIsAMonitorOfTheMachinesChardev() {
        RunOptions run = parse("-M|pc|-chardev|socket,id=mx,path=/tmp/mx.sock,server=on,wait=off,mux=on"
                + "|-mon|chardev=mx,mode=control,pretty=on|-serial|chardev:mx");
        assertThat(run.monitors()).containsExactly(new org.jqmp.monitor.MonitorConfig("mx", true));
        assertThat(run.machineChardevs()).extracting(MachineChardev::humanMonitor).containsExactly(false, false);
        assertThat(run.serialFrontends()).containsExactly("mx");
    }

    @Test
    void theMuxBackendNamesItsBase() {
        RunOptions run = parse("-chardev|null,id=n|-chardev|mux,id=m,chardev=n|-mon|m");
        assertThat(run.machineChardevs()).extracting(MachineChardev::backend)
                .containsExactly(new ChardevBackend.Null("n"), new ChardevBackend.Mux("m", "n"));
        assertThat(run.machineChardevs().getLast().humanMonitor()).isTrue();
        assertThatThrownBy(() -> parse("-chardev|mux,id=m"))
                .hasMessageContaining("chardev: mux: no chardev given");
    }

    @Test
    void prettyHumanMonitorsAndUnknownMuxBackendsAreRefused() {
        assertThatThrownBy(() -> parse("-chardev|null,id=mx,mux=on|-mon|chardev=mx,pretty=on"))
                .hasMessageContaining("'pretty' is not compatible with HMP monitors");
        assertThatThrownBy(() -> parse("-chardev|pipe,id=mx,path=/tmp/p,mux=on"))
                .hasMessageContaining("'pipe' is not supported by jqmp yet");
    }
}
