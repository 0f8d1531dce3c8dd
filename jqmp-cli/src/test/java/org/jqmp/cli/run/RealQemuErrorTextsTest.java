package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written table of {@link QemuErrorTextsTest} against the real QEMU: same arguments, same stderr (with
 * QEMU's program name as prefix), exit status 1. Skipped where QEMU is not installed.
 */
class RealQemuErrorTextsTest {

    @BeforeAll
    static void needsQemu() {
        RealQemu.assumeInstalled();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jqmp.cli.run.QemuErrorTextsTest#qemuErrors")
    void qemuPrintsTheSameText(String args, List<String> expected) throws Exception {
        RealQemu.Outcome outcome = RealQemu.run(QemuErrorTextsTest.withBase(args));

        assertThat(outcome.stderr()).isEqualTo(new CommandLineException(expected).format(RealQemu.PROGRAM));
        assertThat(outcome.exitCode()).isEqualTo(1);
    }
}
