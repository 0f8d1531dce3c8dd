package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jqmp.api.PanicAction;
import org.jqmp.api.RebootAction;
import org.jqmp.api.ShutdownAction;
import org.jqmp.api.WatchdogAction;
import org.jqmp.machine.GuestActions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -action}, {@code -no-shutdown}, {@code -no-reboot}, {@code -watchdog-action}, {@code -daemonize} and
 * {@code -pidfile}: what they ask for, and QEMU 7.2's refusals, which {@link #qemuPrintsTheSameText} compares
 * with the real QEMU.
 */
class ActionOptionsTest {

    static Stream<Arguments> qemuErrors() {
        return Stream.of(
                QemuErrorTextsTest.error("-action|shutdown=bogus",
                        "-action shutdown=bogus: Parameter 'shutdown' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-action|bogus=1", "-action bogus=1: Invalid parameter 'bogus'"),
                QemuErrorTextsTest.error("-action|watchdog=bogus",
                        "-action watchdog=bogus: Parameter 'watchdog' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-action|reboot=", "-action reboot=: Parameter 'reboot' does not accept value ''"),
                QemuErrorTextsTest.error("-action|shutdown=help",
                        "-action shutdown=help: Parameter 'shutdown' does not accept value 'help'"),
                QemuErrorTextsTest.error("-action|id=x", "-action id=x: Invalid parameter 'id'"),
                QemuErrorTextsTest.error("-action|shutdown=pause,id=x", "-action shutdown=pause,id=x: Invalid parameter 'id'"),
                // merged: the first -action's location, the schema's member order (reboot before shutdown)
                QemuErrorTextsTest.error("-action|shutdown=bogus|-action|reboot=bogus",
                        "-action shutdown=bogus: Parameter 'reboot' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-watchdog-action|bogus",
                        "-watchdog-action bogus: Parameter 'watchdog' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-watchdog-action|PAUSE",
                        "-watchdog-action PAUSE: Parameter 'watchdog' does not accept value 'PAUSE'"),
                QemuErrorTextsTest.error("-watchdog-action|reset|-watchdog-action|bogus",
                        "-watchdog-action reset: Parameter 'watchdog' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-action", "-action: requires an argument"),
                QemuErrorTextsTest.error("-pidfile", "-pidfile: requires an argument"),
                // the values are checked before the machine type and the chardevs
                QemuErrorTextsTest.error("-action|shutdown=bogus|-M|bogus",
                        "-action shutdown=bogus: Parameter 'shutdown' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-M|bogus|-action|shutdown=bogus",
                        "-action shutdown=bogus: Parameter 'shutdown' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-action|shutdown=bogus|-chardev|bogus,id=x",
                        "-action shutdown=bogus: Parameter 'shutdown' does not accept value 'bogus'"),
                QemuErrorTextsTest.error("-daemonize|-chardev|stdio,id=x", "-chardev stdio,id=x: cannot use stdio with -daemonize"),
                QemuErrorTextsTest.error("-daemonize|-qmp|stdio", "-qmp stdio: cannot use stdio with -daemonize"),
                QemuErrorTextsTest.error("-action|shutdown=bogus|-daemonize|-chardev|stdio,id=x",
                        "-action shutdown=bogus: Parameter 'shutdown' does not accept value 'bogus'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuErrors")
    void refusesWithQemusText(String args, List<String> expected) {
        assertThat(QemuErrorTextsTest.refuse(args).messages()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "QEMU 7.2: {0}")
    @MethodSource("qemuErrors")
    void qemuPrintsTheSameText(String args, List<String> expected) throws Exception {
        RealQemu.assumeInstalled();
        RealQemu.Outcome outcome = RealQemu.run(QemuErrorTextsTest.withBase(args));
        assertThat(outcome.stderr()).isEqualTo(new CommandLineException(expected).format(RealQemu.PROGRAM));
        assertThat(outcome.exitCode()).isEqualTo(1);
    }

    private static RunOptions parse(String args) {
        return QemuCommandLine.parse(QemuErrorTextsTest.withBase(args));
    }

    @Test
    void qemusDefaultsWithoutOptions() {
        RunOptions run = QemuCommandLine.parse(QemuErrorTextsTest.BASE);
        assertThat(run.actions()).isEqualTo(GuestActions.DEFAULT);
        assertThat(run.daemonize()).isFalse();
        assertThat(run.pidfile()).isEmpty();
    }

    @Test
    void shorthandsAndActionMergeLastWins() {
        RunOptions run = parse("-no-shutdown|-no-reboot|-watchdog-action|pause|-action|panic=none,watchdog=inject-nmi");
        assertThat(run.actions()).isEqualTo(new GuestActions(ShutdownAction.PAUSE, RebootAction.SHUTDOWN,
                PanicAction.NONE, WatchdogAction.INJECT_NMI));
        assertThat(parse("-action|shutdown=pause|-action|shutdown=poweroff").actions().shutdown())
                .isEqualTo(ShutdownAction.POWEROFF);
        assertThat(parse("-action|panic=exit-failure").actions().panic()).isEqualTo(PanicAction.EXIT_FAILURE);
    }

    @Test
    void daemonizeAndPidfile() {
        RunOptions run = parse("-daemonize|-pidfile|/tmp/x.pid");
        assertThat(run.daemonize()).isTrue();
        assertThat(run.pidfile()).contains(Path.of("/tmp/x.pid"));
    }
}
