package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jqmp run --help} lists every option the parser takes. */
class RunHelpTest {
    @Test
    void everyOptionIsListed() {
        for (String option : QemuCommandLine.OPTIONS.keySet()) {
            assertThat(RunHelp.text()).as("-" + option).containsPattern("(^|[ ,])-" + option + "\\b");
        }
    }

    @Test
    void helpIsAskedTheWaysQemuAndJqmpAskForIt() {
        assertThat(RunHelp.asked(List.of("-M", "pc", "-h"))).isTrue();
        assertThat(RunHelp.asked(List.of("-help"))).isTrue();
        assertThat(RunHelp.asked(List.of("--help"))).isTrue();
        assertThat(RunHelp.asked(List.of("-name", "help"))).isFalse();
    }
}
