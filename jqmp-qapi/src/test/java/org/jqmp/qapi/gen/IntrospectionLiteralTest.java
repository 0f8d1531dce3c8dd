package org.jqmp.qapi.gen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.CodeBlock;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.junit.jupiter.api.Test;

/**
 * The introspection data's expressions: built as one string when every string in them is plain printable ASCII,
 * and through JavaPoet's own {@code $S} otherwise; both must read the same as JavaPoet would write them.
 */
class IntrospectionLiteralTest {
    @Test
    void plainValueIsOneString() {
        JsonObject entry = JsonObject.builder().put("name", "query-status").put("meta-type", "command")
                .put("features", JsonArray.of(new JsonString("unstable"), JsonBool.of(true), JsonNull.NULL))
                .put("members", JsonArray.EMPTY).build();
        assertThat(IntrospectionGenerator.literal(entry).toString()).isEqualTo(
                "o(\"name\", \"query-status\", \"meta-type\", \"command\", \"features\", a(\"unstable\", true, null),"
                        + " \"members\", a())");
    }

    @Test
    void stringsJavaPoetEscapesGoThroughJavaPoet() {
        String odd = "quote \" backslash \\ apostrophe ' tab \t";
        JsonObject entry = JsonObject.builder().put("name", odd).put("plain", "x").build();
        assertThat(IntrospectionGenerator.literal(entry).toString())
                .isEqualTo(CodeBlock.of("o($S, $S, $S, $S)", "name", odd, "plain", "x").toString())
                .contains("\\\"", "\\\\", "\\t");
    }
}
