package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jqmp.machine.guest.DiskWorkload;
import org.jqmp.machine.guest.GuestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulated guest's options: {@code -jqmp-guest}, {@code -jqmp-guest-disk}, the watchdog {@code -device}s
 * (their errors as QEMU 7.2 prints them, checked against the real QEMU where installed) and where the console is.
 */
class GuestCommandLineTest {
    private static RunOptions parse(String args) {
        return QemuCommandLine.parse(QemuErrorTextsTest.split(args));
    }

    @Test
    void defaultsWithoutGuestOptions() {
        GuestSetup guest = parse("-M|pc").guest();
        assertThat(guest.options()).isEqualTo(GuestOptions.DEFAULT);
        assertThat(guest.consoleChardev()).isEmpty();
    }

    @Test
    void bootDelayWatchdogAndWorkloads() {
        GuestSetup guest = parse("-jqmp-guest|boot-delay=1200,watchdog-timeout=50|-device|i6300esb,id=wd"
                + "|-jqmp-guest|boot-delay=20|-jqmp-guest-disk|disk0,profile=mixed,rate=200,size=8k"
                + "|-jqmp-guest-disk|device=cd0|-device|pvpanic|-device|pvpanic-pci|-device|pvpanic-pci").guest();
        assertThat(guest.options().panicDevice()).contains("pvpanic");
        assertThat(guest.options().bootDelay()).isEqualTo(Duration.ofMillis(20));
        assertThat(guest.options().watchdogTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(guest.options().watchdog()).contains("i6300esb");
        assertThat(guest.options().workloads()).containsExactly(
                new DiskWorkload("disk0", DiskWorkload.Profile.MIXED, 200, 8192),
                new DiskWorkload("cd0", DiskWorkload.Profile.READ, DiskWorkload.DEFAULT_RATE,
                        DiskWorkload.DEFAULT_SIZE));
    }

    /** The console is on serial port 0 of a machine that has serial ports. */
    @Test
    void theConsoleIsTheFirstSerialPort() {
        assertThat(parse("-M|pc|-chardev|ringbuf,id=r|-serial|chardev:r|-serial|null").guest().consoleChardev())
                .contains("r");
        assertThat(parse("-M|pc|-serial|null").guest().consoleChardev()).contains("serial0");
        assertThat(parse("-M|pc|-serial|none|-serial|null").guest().consoleChardev()).isEmpty();
        assertThat(parse("-M|none|-serial|null").guest().consoleChardev()).isEmpty();
    }

    static Stream<Arguments> qemuErrors() {
        return Stream.of(
                Arguments.of("-device|i6300esb", List.of("-device i6300esb: No 'PCI' bus found for device 'i6300esb'")),
                Arguments.of("-device|ib700", List.of("-device ib700: No 'ISA' bus found for device 'ib700'")),
                Arguments.of("-M|pc|-device|i6300esb,bogus=1",
                        List.of("-device i6300esb,bogus=1: Property 'i6300esb.bogus' not found")),
                Arguments.of("-device|pvpanic", List.of("-device pvpanic: No 'ISA' bus found for device 'pvpanic'")),
                Arguments.of("-device|pvpanic-pci",
                        List.of("-device pvpanic-pci: No 'PCI' bus found for device 'pvpanic-pci'")),
                Arguments.of("-M|pc|-device|pvpanic|-device|pvpanic",
                        List.of("-device pvpanic: duplicate fw_cfg file name: etc/pvpanic-port")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuErrors")
    void jqmpRefusesAsQemu(String args, List<String> expected) {
        assertThat(QemuErrorTextsTest.refuse(args).messages()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuErrors")
    void theRealQemuPrintsTheSameText(String args, List<String> expected) throws Exception {
        RealQemu.assumeInstalled();
        RealQemu.Outcome outcome = RealQemu.run(QemuErrorTextsTest.withBase(args));
        assertThat(outcome.stderr()).isEqualTo(new CommandLineException(expected).format(RealQemu.PROGRAM));
        assertThat(outcome.exitCode()).isEqualTo(1);
    }

    static Stream<Arguments> jqmpErrors() {
        return Stream.of(
                Arguments.of("-jqmp-guest|boot-delay=-1",
                        "-jqmp-guest boot-delay=-1: boot-delay must be between 0 and 3600000 ms (limit maxDelay): -1"),
                Arguments.of("-jqmp-guest|boot=1", "-jqmp-guest boot=1: Invalid parameter 'boot'"),
                Arguments.of("-jqmp-guest-disk|disk0,profile=fast",
                        "-jqmp-guest-disk disk0,profile=fast: unknown profile 'fast' (read, write, mixed or idle)"),
                Arguments.of("-jqmp-guest-disk|disk0,rate=0",
                        "-jqmp-guest-disk disk0,rate=0: rate must be between 1 and 10000 per second"
                                + " (limit maxRatePerSecond): 0"),
                Arguments.of("-jqmp-guest-disk|disk0,size=100", "-jqmp-guest-disk disk0,size=100: size must be a"
                        + " positive multiple of 512 bytes, at most 1048576 (limit maxRequestBytes): 100"),
                Arguments.of("-M|pc|-device|e1000", "-device e1000: device model 'e1000' not supported by jqmp yet"
                        + " (it has i6300esb, ib700, ide-cd, ide-hd, pvpanic, pvpanic-pci, virtio-blk, virtio-blk-pci)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jqmpErrors")
    void badGuestOptionsNameTheInputAndTheLimit(String args, String expected) {
        assertThat(QemuErrorTextsTest.refuse(args).messages()).containsExactly(expected);
    }

}
