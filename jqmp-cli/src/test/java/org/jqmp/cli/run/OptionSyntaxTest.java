package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two option syntaxes and QEMU's value parsers on their own. */
class OptionSyntaxTest {

    @Test
    void qemuOptsImpliedKeyTakesEscapedCommas() {
        QemuOpts opts = QemuOpts.parse(QemuOptsList.CHARDEV, "-chardev x", "socket,,id=x", new HashSet<>(),
                new ArrayList<>());

        assertThat(opts.id()).contains("x");
        assertThat(opts.parameters()).containsExactly(new QemuOpts.Parameter("backend", "socket,id=x"));
    }

    @Test
    void qemuOptsFlagsAndNegations() {
        List<String> warnings = new ArrayList<>();
        QemuOpts opts = QemuOpts.parse(QemuOptsList.CHARDEV, "L", "socket,id=a,server,nowait", new HashSet<>(),
                warnings);

        assertThat(opts.parameters()).containsExactly(new QemuOpts.Parameter("backend", "socket"),
                new QemuOpts.Parameter("server", "on"), new QemuOpts.Parameter("wait", "off"));
        assertThat(warnings).hasSize(2);
    }

    @Test
    void qemuOptsIdIsFoundEvenInsideTheImpliedValue() {
        assertThat(QemuOpts.scanId("socket,,id=x")).contains("x");
        // Inside a key=value, ",," stays an escaped comma.
        assertThat(QemuOpts.scanId("socket,path=/a,,id=x")).isEmpty();
        assertThat(QemuOpts.scanId("socket,id=a,id=b")).contains("a");
        assertThat(QemuOpts.scanId("socket")).isEmpty();
    }

    @Test
    void keyvalImpliedValueEndsAtTheFirstComma() {
        assertThat(Keyval.parse("none,type=pc", "type", "L")).isEqualTo(Map.of("type", "pc"));
        assertThat(Keyval.parse("a=x,,y,b=z,", null, "L")).isEqualTo(Map.of("a", "x,y", "b", "z"));
        assertThatThrownBy(() -> Keyval.parse("none,,x", "type", "L")).hasMessage("L: Invalid parameter ''");
    }

    @Test
    void keyvalKeysAreBounded() {
        String key = "k".repeat(Keyval.MAX_KEY_LENGTH + 1);

        assertThatThrownBy(() -> Keyval.parse(key + "=1", null, "L"))
                .hasMessage("L: Parameter '" + key + "' is too long");
    }

    @Test
    void numbers() {
        assertThat(OptionValues.parseNumber("n", "10")).isEqualTo(10);
        assertThat(OptionValues.parseNumber("n", "0x1f")).isEqualTo(31);
        assertThat(OptionValues.parseNumber("n", "017")).isEqualTo(15);
        assertThat(OptionValues.parseNumber("n", "0")).isZero();
        assertThat(OptionValues.parseNumber("n", "-1")).isEqualTo(-1);
        assertThatThrownBy(() -> OptionValues.parseNumber("n", "0x")).hasMessage("Parameter 'n' expects a number");
        assertThatThrownBy(() -> OptionValues.parseNumber("n", "99999999999999999999"))
                .hasMessage("Parameter 'n' expects a number");
    }

    @Test
    void sizes() {
        assertThat(OptionValues.strtosz("1k", 1)).isEqualTo(BigInteger.valueOf(1024));
        assertThat(OptionValues.strtosz("1.5M", 1)).isEqualTo(BigInteger.valueOf(3L << 19));
        assertThat(OptionValues.strtosz("0x10", 1)).isEqualTo(BigInteger.valueOf(16));
        assertThat(OptionValues.strtosz("15E", 1)).isEqualTo(BigInteger.valueOf(15).shiftLeft(60));
        assertThat(OptionValues.strtosz("16E", 1)).isNull();
        assertThat(OptionValues.strtosz("0x1.5", 1)).isNull();
        assertThat(OptionValues.strtosz("1.5", 1)).isNull();
        assertThat(OptionValues.strtosz("", 1)).isNull();
        assertThat(OptionValues.isHexWithSuffix("0x10k")).isTrue();
        assertThat(OptionValues.isHexWithSuffix("0xb")).isFalse();
    }

    @Test
    void exceptionFormatsWithTheCallersProgramName() {
        CommandLineException e = new CommandLineException(List.of("-qmp x: a", "-qmp x: parse error: x"));

        assertThat(e.format("jqmp")).isEqualTo("jqmp: -qmp x: a\njqmp: -qmp x: parse error: x\n");
    }
}
