package org.jqmp.cli.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jqmp.json.Json;
import org.junit.jupiter.api.Test;

/** qmp-shell's key=value language. */
class KeyValueArgumentsTest {
    @Test
    void typesValuesAsQmpShellDoes() {
        assertThat(KeyValueArguments.parse(List.of("a=1", "b=-2", "c=true", "d=false", "e=text",
                "f={\"x\": [1, null]}", "g=[1,2]", "h=1.5", "i=99999999999999999999")))
                .isEqualTo(Json.parse("{\"a\": 1, \"b\": -2, \"c\": true, \"d\": false, \"e\": \"text\", "
                        + "\"f\": {\"x\": [1, null]}, \"g\": [1, 2], \"h\": \"1.5\", \"i\": \"99999999999999999999\"}"));
    }

    @Test
    void dottedKeysNest() {
        assertThat(KeyValueArguments.parse(List.of("node.driver=file", "node.file.filename=/x",
                "node.file.locking=false", "id=n0")))
                .isEqualTo(Json.parse("{\"node\": {\"driver\": \"file\", \"file\": {\"filename\": \"/x\", \"locking\": false}}, "
                        + "\"id\": \"n0\"}"));
    }

    @Test
    void valueMayContainEqualsSigns() {
        assertThat(Json.write(KeyValueArguments.parse(List.of("command-line=info a=b"))))
                .isEqualTo("{\"command-line\": \"info a=b\"}");
    }

    @Test
    void badPairsAreNamed() {
        assertThatThrownBy(() -> KeyValueArguments.parse(List.of("a=1", "a=2")))
                .hasMessage("key 'a' is given twice");
        assertThatThrownBy(() -> KeyValueArguments.parse(List.of("novalue")))
                .hasMessage("argument 'novalue' is not key=value");
        assertThatThrownBy(() -> KeyValueArguments.parse(List.of("a=1", "a.b=2")))
                .hasMessageContaining("'a' already has a value");
        assertThatThrownBy(() -> KeyValueArguments.parse(List.of("a={")))
                .hasMessageContaining("value '{' is not valid JSON");
    }
}
