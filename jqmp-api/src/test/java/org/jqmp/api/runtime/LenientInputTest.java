package org.jqmp.api.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.QMPCapability;
import org.jqmp.api.StatusInfo;
import org.jqmp.api.VersionInfo;
import org.jqmp.json.Json;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.Test;

/** A client's view of a newer server: unknown members and enum values are noted, never an error. */
class LenientInputTest {
    @Test
    void unknownMembersAreNotedAtEveryDepth() {
        JsonValue reply = Json.parse("{\"qemu\": {\"major\": 9, \"minor\": 2, \"micro\": 0, \"nano\": 1},"
                + " \"package\": \"\", \"build-id\": \"x\"}");
        QObjectInput in = QObjectInput.lenient(reply);
        VersionInfo v = VersionInfo.read(in, null);
        assertThat(v.qemu().major()).isEqualTo(9);
        assertThat(in.drift()).containsExactly("unknown member 'qemu.nano'", "unknown member 'build-id'");
    }

    @Test
    void strictInputStillRejectsThem() {
        JsonValue reply = Json.parse("{\"qemu\": {\"major\": 9, \"minor\": 2, \"micro\": 0}, \"package\": \"\","
                + " \"build-id\": \"x\"}");
        assertThatThrownBy(() -> VersionInfo.read(new QObjectInput(reply, CompatPolicy.ACCEPT_ALL), null))
                .hasMessage("Parameter 'build-id' is unexpected");
    }

    @Test
    void unknownEnumValueOfOptionalMemberReadsAsAbsent() {
        JsonValue reply = Json.parse("{\"device\": \"ide0\", \"qdev\": \"/m/ide0\", \"locked\": false,"
                + " \"removable\": true, \"type\": \"unknown\", \"io-status\": \"melted\"}");
        QObjectInput in = QObjectInput.lenient(reply);
        BlockInfo info = BlockInfo.read(in, null);
        assertThat(info.ioStatus()).isNull();
        assertThat(in.drift()).containsExactly("unknown value 'melted' of 'io-status'");
    }

    @Test
    void unknownEnumValueInAListLeavesTheList() {
        QObjectInput in = QObjectInput.lenient(Json.parse("[\"teleport\", \"oob\"]"));
        List<QMPCapability> caps = in.readList(null,
                () -> in.readEnum(null, QMPCapability::fromWireName, QMPCapability::specialFeatures));
        assertThat(caps).containsExactly(QMPCapability.OOB);
        assertThat(in.drift()).containsExactly("unknown value 'teleport' of '[0]'");
    }

    @Test
    void unknownEnumValueOfMandatoryMemberCannotBeTyped() {
        // a Java enum cannot hold a value it does not know: the record refuses the null; a client keeps the JSON
        QObjectInput in = QObjectInput.lenient(Json.parse(
                "{\"running\": false, \"singlestep\": false, \"status\": \"hibernating\"}"));
        assertThatThrownBy(() -> StatusInfo.read(in, null)).isInstanceOf(NullPointerException.class);
        assertThat(in.drift()).containsExactly("unknown value 'hibernating' of 'status'");
    }
}
