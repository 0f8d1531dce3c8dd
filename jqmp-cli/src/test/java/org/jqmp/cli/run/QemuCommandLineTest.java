package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The forms QEMU 7.2 accepts and what each means (observed on QEMU 7.2 where a meaning was in doubt). */
class QemuCommandLineTest {

    static RunOptions parse(String... args) {
        return QemuCommandLine.parse(Arrays.asList(args));
    }

    @Test
    void noOptionsGiveTheDefaults() {
        RunOptions options = parse();

        assertThat(options.machine()).isEqualTo(MachineType.PC);
        assertThat(options.startPaused()).isFalse();
        assertThat(options.noDefaults()).isFalse();
        assertThat(options.display()).isEqualTo("none");
        assertThat(options.name()).isEmpty();
        assertThat(options.uuid()).isEmpty();
        assertThat(options.memoryBytes()).isEmpty();
        assertThat(options.chardevs()).isEmpty();
        assertThat(options.monitors()).isEmpty();
        assertThat(options.compat()).isEqualTo(CompatPolicy.ACCEPT_ALL);
        assertThat(options.warnings()).isEmpty();
        assertThat(options.ignored()).isEmpty();
    }

    @Test
    void theDifferentialTestsCommandLine() {
        RunOptions options = parse("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:/tmp/j.sock,server=on,wait=off");

        assertThat(options.machine()).isEqualTo(MachineType.NONE);
        assertThat(options.startPaused()).isTrue();
        assertThat(options.noDefaults()).isTrue();
        assertThat(options.chardevs()).containsExactly(new SocketChardevConfig("compat_monitor0",
                new SocketAddressConfig.Unix(Path.of("/tmp/j.sock")), true, false, 0, "unix:/tmp/j.sock,server=on"));
        assertThat(options.monitors()).containsExactly(new MonitorConfig("compat_monitor0", false));
    }

    @Test
    void repeatedFlagsAndDoubleDashesAreAccepted() {
        RunOptions options = parse("-S", "-S", "--nodefaults", "-nodefaults", "--display", "none");

        assertThat(options.startPaused()).isTrue();
        assertThat(options.noDefaults()).isTrue();
    }

    @Nested
    class Machine {
        @Test
        void typeNamesAndAliases() {
            assertThat(parse("-M", "none").machine()).isEqualTo(MachineType.NONE);
            assertThat(parse("-M", "pc").machine()).isEqualTo(MachineType.PC);
            assertThat(parse("-M", "pc-i440fx-7.2").machine()).isEqualTo(MachineType.PC);
            assertThat(parse("-machine", "type=none").machine()).isEqualTo(MachineType.NONE);
            assertThat(parse("-M", "").machine()).isEqualTo(MachineType.PC);
        }

        @Test
        void laterTypesWinWithinAndAcrossOptions() {
            // Observed on QEMU 7.2 with qom-get /machine type.
            assertThat(parse("-M", "none,type=pc").machine()).isEqualTo(MachineType.PC);
            assertThat(parse("-machine", "type=none", "-M", "pc").machine()).isEqualTo(MachineType.PC);
            assertThat(parse("-machine", "type=pc,type=none").machine()).isEqualTo(MachineType.NONE);
        }

        @Test
        void acceleratorIsAcceptedAndReportedAsIgnored() {
            RunOptions options = parse("-machine", "none", "-machine", "accel=kvm:tcg");

            assertThat(options.machine()).isEqualTo(MachineType.NONE);
            assertThat(options.ignored()).containsExactly("-machine accel=kvm:tcg: has no effect in jqmp");
        }
    }

    @Nested
    class NameUuidMemory {
        @Test
        void guestNames() {
            // Observed on QEMU 7.2 with query-name.
            assertThat(parse("-name", "foo").name()).contains("foo");
            assertThat(parse("-name", "guest=foo,process=bar").name()).contains("foo");
            assertThat(parse("-name", "foo,guest=bar").name()).contains("bar");
            assertThat(parse("-name", ",,a").name()).contains(",a");
            assertThat(parse("-name", "").name()).isEmpty();
            assertThat(parse("-name", "foo", "-name", "bar").name()).contains("bar");
        }

        @Test
        void nameParametersWithoutEffectAreReported() {
            RunOptions options = parse("-name", "guest=foo,process=bar,debug-threads=on");

            assertThat(options.ignored()).containsExactly(
                    "-name guest=foo,process=bar,debug-threads=on: 'process' has no effect in jqmp",
                    "-name guest=foo,process=bar,debug-threads=on: 'debug-threads' has no effect in jqmp");
        }

        @Test
        void uuidInEitherCase() {
            assertThat(parse("-uuid", "123E4567-E89B-12D3-A456-426614174000").uuid())
                    .contains(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        }

        @Test
        void memorySizes() {
            // Observed on QEMU 7.2 with query-memory-size-summary (base-memory).
            assertThat(parse("-m", "64M").memoryBytes()).hasValue(64L << 20);
            assertThat(parse("-m", "1").memoryBytes()).hasValue(1L << 20);
            assertThat(parse("-m", "1k").memoryBytes()).hasValue(8192);
            assertThat(parse("-m", "1.5k").memoryBytes()).hasValue(8192);
            assertThat(parse("-m", "1b").memoryBytes()).hasValue(8192);
            assertThat(parse("-m", "2.5G").memoryBytes()).hasValue(2684354560L);
            assertThat(parse("-m", "1e").memoryBytes()).hasValue(1L << 60);
            assertThat(parse("-m", "64M,size=32M").memoryBytes()).hasValue(32L << 20);
            assertThat(parse("-m", "64", "-m", "128").memoryBytes()).hasValue(128L << 20);
            assertThat(parse("-m", "size=1G").memoryBytes()).hasValue(1L << 30);
        }

        @Test
        void zeroOrEmptyMemoryMeansTheMachineDefault() {
            assertThat(parse("-m", "0").memoryBytes()).isEmpty();
            assertThat(parse("-m", "").memoryBytes()).isEmpty();
        }

        @Test
        void hexMemoryWarnsAsQemuDoes() {
            RunOptions plain = parse("-m", "0x10");
            RunOptions suffixed = parse("-m", "0x10k");

            assertThat(plain.memoryBytes()).hasValue(16L << 20);
            assertThat(plain.warnings()).containsExactly(
                    "warning: Using a multiplier suffix on hex numbers is deprecated: 0x10M");
            assertThat(suffixed.memoryBytes()).hasValue(16384);
            assertThat(suffixed.warnings()).containsExactly(
                    "-m 0x10k: warning: Using a multiplier suffix on hex numbers is deprecated: 0x10k",
                    "warning: Using a multiplier suffix on hex numbers is deprecated: 0x10k");
        }

        @Test
        void memoryHotplugParametersAreReported() {
            RunOptions options = parse("-m", "size=64M,maxmem=1G");

            assertThat(options.memoryBytes()).hasValue(64L << 20);
            assertThat(options.ignored())
                    .containsExactly("-m size=64M,maxmem=1G: memory hotplug ('maxmem') is not modelled by jqmp");
        }
    }

    @Nested
    class Compat {
        @Test
        void everyMember() {
            assertThat(parse("-compat",
                    "deprecated-input=reject,deprecated-output=hide,unstable-input=crash,unstable-output=hide").compat())
                    .isEqualTo(new CompatPolicy(CompatPolicy.Input.REJECT, CompatPolicy.Output.HIDE,
                            CompatPolicy.Input.CRASH, CompatPolicy.Output.HIDE));
        }

        @Test
        void aLaterCompatReplacesTheWholePolicy() {
            // Observed on QEMU 7.2: nbd-server-remove (deprecated) runs again after the second -compat.
            assertThat(parse("-compat", "deprecated-input=reject", "-compat", "unstable-input=reject").compat())
                    .isEqualTo(new CompatPolicy(CompatPolicy.Input.ACCEPT, CompatPolicy.Output.ACCEPT,
                            CompatPolicy.Input.REJECT, CompatPolicy.Output.ACCEPT));
        }

        @Test
        void theLastOfARepeatedKeyWins() {
            assertThat(parse("-compat", "deprecated-input=reject,deprecated-input=accept").compat())
                    .isEqualTo(CompatPolicy.ACCEPT_ALL);
            assertThat(parse("-compat", "deprecated-input=accept,deprecated-input=reject").compat().deprecatedInput())
                    .isEqualTo(CompatPolicy.Input.REJECT);
        }
    }

    @Nested
    class Display {
        @Test
        void noneDefaultAndNographicAllMeanNone() {
            assertThat(parse("-display", "none").display()).isEqualTo("none");
            assertThat(parse("-display", "default").display()).isEqualTo("none");
            assertThat(parse("-display", "none", "-display", "none").display()).isEqualTo("none");
            assertThat(parse("-nographic").display()).isEqualTo("none");
        }

        /** QEMU's qemu_create_default_devices: stdio for whichever of the serial port and the monitor is default. */
        @Test
        void nographicPutsTheDefaultSerialPortAndMonitorOnStdio() {
            RunOptions both = parse("-nographic");
            assertThat(both.machineChardevs()).extracting(c -> c.backend().id() + " " + c.humanMonitor())
                    .containsExactly("serial0-base false", "serial0 true");
            assertThat(both.serialFrontends()).containsExactly("serial0");

            RunOptions serialOnly = parse("-nographic", "-qmp", "unix:/tmp/q.sock,server=on,wait=off");
            assertThat(serialOnly.machineChardevs()).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo(new ChardevBackend.Stdio("serial0", true));
                assertThat(c.humanMonitor()).isFalse();
            });
            assertThat(serialOnly.serialFrontends()).containsExactly("serial0");

            RunOptions monitorOnly = parse("-nographic", "-serial", "none");
            assertThat(monitorOnly.machineChardevs()).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo(new ChardevBackend.Stdio("compat_monitor0", true));
                assertThat(c.humanMonitor()).isTrue();
            });

            assertThat(parse("-nographic", "-nodefaults").machineChardevs()).isEmpty();
            assertThat(parse("-nographic", "-monitor", "none", "-serial", "none").machineChardevs()).isEmpty();
            assertThatThrownBy(() -> parse("-nographic", "-daemonize")).isInstanceOf(CommandLineException.class)
                    .hasMessageContaining("-nographic cannot be used with -daemonize");
        }

        @Test
        void windowOptionsAreReportedAsIgnored() {
            assertThat(parse("-display", "none,window-close=off").ignored())
                    .containsExactly("-display none,window-close=off: 'window-close' has no effect without a window");
        }
    }

    @Nested
    class Monitors {
        @Test
        void qmpLabelsCountEveryQmpAndMonitorButNotMon() {
            // Observed on QEMU 7.2 with query-chardev: chardev:ID and -monitor take a number, -mon does not.
            RunOptions options = parse("-qmp", "unix:/tmp/a.sock,server=on,wait=off",
                    "-chardev", "stdio,id=x", "-qmp", "chardev:x",
                    "-chardev", "socket,id=y,path=/tmp/y.sock,server=on,wait=off", "-mon", "chardev=y,mode=control",
                    "-monitor", "unix:/tmp/hmp.sock,server=on,wait=off",
                    "-qmp-pretty", "unix:/tmp/b.sock,server=on,wait=off");

            assertThat(options.chardevs()).extracting(c -> c.id())
                    .containsExactly("compat_monitor0", "x", "y", "compat_monitor2", "compat_monitor3");
            assertThat(options.monitors()).containsExactly(new MonitorConfig("compat_monitor0", false),
                    new MonitorConfig("x", false), new MonitorConfig("y", false),
                    new MonitorConfig("compat_monitor3", true));
            // the human monitor's socket is the machine's, which serves HMP on it
            assertThat(options.machineChardevs()).singleElement().satisfies(c -> {
                assertThat(c.backend().id()).isEqualTo("compat_monitor2");
                assertThat(c.backend()).isInstanceOf(ChardevBackend.Socket.class);
                assertThat(c.humanMonitor()).isTrue();
            });
            assertThat(options.ignored()).isEmpty();
        }

        @Test
        void monitorNoneTakesNoNumber() {
            RunOptions options = parse("-monitor", "none", "-qmp", "stdio");

            assertThat(options.monitors()).containsExactly(new MonitorConfig("compat_monitor0", false));
            assertThat(options.chardevs()).containsExactly(new StdioChardevConfig("compat_monitor0", true));
        }

        @Test
        void monForms() {
            RunOptions options = parse("-chardev", "socket,id=a,path=/tmp/a.sock,server=on,wait=off",
                    "-chardev", "socket,id=b,path=/tmp/b.sock,server=on,wait=off",
                    "-chardev", "socket,id=c,path=/tmp/c.sock,server=on,wait=off",
                    "-mon", "a,mode=control", "-mon", "chardev=b,mode=control,pretty=on",
                    "-mon", "c,chardev=c,mode=control,pretty=off");

            assertThat(options.monitors()).containsExactly(new MonitorConfig("a", false),
                    new MonitorConfig("b", true), new MonitorConfig("c", false));
        }

        @Test
        void monitorsMayPrecedeTheirChardevs() {
            RunOptions options = parse("-mon", "x,mode=control", "-chardev", "stdio,id=x");

            assertThat(options.monitors()).containsExactly(new MonitorConfig("x", false));
        }

        @Test
        void aHumanMonitorBelongsToTheMachine() {
            RunOptions options = parse("-chardev", "stdio,id=x", "-mon", "x");

            assertThat(options.monitors()).isEmpty();
            assertThat(options.chardevs()).hasSize(1);
            assertThat(options.machineChardevs()).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo(new ChardevBackend.Stdio("x", true));
                assertThat(c.humanMonitor()).isTrue();
            });
            assertThat(options.ignored()).isEmpty();
        }

        @Test
        void monitorStdioIsAHumanMonitorOnStdio() {
            RunOptions options = parse("-monitor", "stdio", "-qmp", "unix:/tmp/q.sock,server=on,wait=off");

            assertThat(options.monitors()).containsExactly(new MonitorConfig("compat_monitor1", false));
            assertThat(options.machineChardevs()).singleElement().satisfies(c -> {
                assertThat(c.backend()).isEqualTo(new ChardevBackend.Stdio("compat_monitor0", true));
                assertThat(c.humanMonitor()).isTrue();
            });
        }

        @Test
        void aHumanMonitorOnAChardevInUseIsRefused() {
            assertThatThrownBy(() -> parse("-chardev", "socket,id=s,path=/tmp/s.sock,server=on,wait=off",
                    "-mon", "s,mode=control", "-mon", "s"))
                    .isInstanceOf(CommandLineException.class).hasMessageContaining("Device 's' is in use");
        }

        @Test
        void shortFormPrettyWarnsAsQemuDoes() {
            RunOptions options = parse("-chardev", "stdio,id=x", "-mon", "chardev=x,mode=control,pretty");

            assertThat(options.monitors()).containsExactly(new MonitorConfig("x", true));
            assertThat(options.warnings()).containsExactly("-mon chardev=x,mode=control,pretty: warning: "
                    + "short-form boolean option 'pretty' deprecated\nPlease use pretty=on instead");
        }
    }
}
