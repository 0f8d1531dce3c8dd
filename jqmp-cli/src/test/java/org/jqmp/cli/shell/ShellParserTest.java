package org.jqmp.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jqmp.json.Json;
import org.junit.jupiter.api.Test;

/** qmp-shell's input language, line by line. */
class ShellParserTest {
    private static String sent(ShellInput input) {
        assertThat(input).isInstanceOf(ShellInput.Send.class);
        ShellInput.Send send = (ShellInput.Send) input;
        return send.command() + " " + Json.write(send.arguments());
    }

    /** Objects compare by members (jqmp-json writes them in QEMU's QDict order, not as typed). */
    private static void assertSends(ShellInput input, String command, String arguments) {
        assertThat(input).isEqualTo(new ShellInput.Send(command, (org.jqmp.json.JsonObject) Json.parse(arguments)));
    }

    @Test
    void commandWithTypedAndNestedArguments() {
        ShellParser parser = new ShellParser(false);
        assertThat(sent(parser.parse("query-status"))).isEqualTo("query-status {}");
        assertSends(parser.parse("  blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/x.img"
                + " read-only=true cache.direct=false"), "blockdev-add", "{\"driver\": \"qcow2\", \"node-name\": \"d0\", \"file\": {\"driver\": \"file\","
                        + " \"filename\": \"/x.img\"}, \"read-only\": true, \"cache\": {\"direct\": false}}");
        assertSends(parser.parse("yank instances=[{\"type\":\"migration\"}] n=-3"), "yank", "{\"instances\": [{\"type\": \"migration\"}], \"n\": -3}");
    }

    @Test
    void quotedWordsKeepTheirBlanksAndQuotes() {
        // as in qmp-shell, a blank outside quotes ends a word even inside a JSON value
        assertThat(ShellParser.words("a k='x y' j={\"a b\":1} m={\"c\": 2}"))
                .containsExactly("a", "k='x y'", "j={\"a b\":1}", "m={\"c\":", "2}");
        assertThat(sent(new ShellParser(false).parse("ringbuf-write device=r data=\"hello world\"")))
                .isEqualTo("ringbuf-write {\"device\": \"r\", \"data\": \"\\\"hello world\\\"\"}");
    }

    @Test
    void blankLinesSendNothing() {
        assertThat(new ShellParser(false).parse("   ")).isInstanceOf(ShellInput.Blank.class);
        assertThat(new ShellParser(true).parse("")).isInstanceOf(ShellInput.Blank.class);
    }

    @Test
    void transactionCollectsOneActionPerLineUntilTheClosingParenthesis() {
        ShellParser parser = new ShellParser(false);
        assertThat(parser.parse("transaction(")).isEqualTo(new ShellInput.Collecting(0));
        assertThat(parser.inTransaction()).isTrue();
        assertThat(parser.parse("block-dirty-bitmap-add node=d0 name=b0")).isEqualTo(new ShellInput.Collecting(1));
        assertThat(parser.parse("")).isEqualTo(new ShellInput.Collecting(1));
        assertSends(parser.parse("block-dirty-bitmap-clear node=d0 name=b1 )"), "transaction", "{\"actions\": [{\"type\": \"block-dirty-bitmap-add\", \"data\": {\"node\": \"d0\", \"name\": \"b0\"}},"
                + " {\"type\": \"block-dirty-bitmap-clear\", \"data\": {\"node\": \"d0\", \"name\": \"b1\"}}]}");
        assertThat(parser.inTransaction()).isFalse();
    }

    @Test
    void transactionOnOneLineAndAloneClosing() {
        ShellParser parser = new ShellParser(false);
        assertThat(sent(parser.parse("transaction( abort )")))
                .isEqualTo("transaction {\"actions\": [{\"type\": \"abort\", \"data\": {}}]}");
        parser.parse("transaction(");
        assertThat(sent(parser.parse(")"))).isEqualTo("transaction {\"actions\": []}");
    }

    @Test
    void badInputIsNamedAndLeavesTheTransactionOpen() {
        ShellParser parser = new ShellParser(false);
        assertThatThrownBy(() -> parser.parse("stop nokey")).hasMessageContaining("'nokey' is not key=value");
        assertThatThrownBy(() -> parser.parse("x a=1 a=2")).hasMessageContaining("key 'a' is given twice");
        assertThatThrownBy(() -> parser.parse("x a={oops")).hasMessageContaining("not valid JSON");
        parser.parse("transaction(");
        assertThatThrownBy(() -> parser.parse("transaction(")).hasMessageContaining("already open");
        assertThatThrownBy(() -> parser.parse(") extra")).hasMessageContaining("after ')'");
        assertThat(parser.inTransaction()).isTrue();
    }

    @Test
    void hmpModeSendsTheWholeLine() {
        assertThat(sent(new ShellParser(true).parse(" info status  ")))
                .isEqualTo("human-monitor-command {\"command-line\": \"info status\"}");
    }
}
