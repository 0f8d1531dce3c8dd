package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.DocSection;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Feature;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** QEMU's real schemas (7.2 with its doc rules, 10.2 with the current ones) check without errors. */
class QemuSchemaTest {
    private static Schema qemu102;
    private static Schema qemu72;

    private static Schema qemu102() {
        if (qemu102 == null) {
            qemu102 = QapiCompiler.check(QemuFixtures.require("qapi/qemu-10.2/qapi-schema.json"));
        }
        return qemu102;
    }

    static Schema qemu72() {
        if (qemu72 == null) {
            Path main = QemuFixtures.require("qapi/qemu-7.2/qapi-schema.json");
            qemu72 = new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT).compile(main);
        }
        return qemu72;
    }

    @Test
    void qemu102ChecksWithTheseEntityCounts() {
        Schema s = qemu102();
        assertThat(s.commands()).hasSize(244);
        assertThat(s.events()).hasSize(57);
        assertThat(s.ofKind(EnumType.class)).hasSize(183);
        assertThat(s.ofKind(AlternateType.class)).hasSize(6);
        assertThat(s.featureNames()).startsWith(Feature.DEPRECATED, Feature.UNSTABLE)
                .contains("savevm-monitor-nodes", "json-cli", "fdset");
        // 44 sub-files plus the main file, and ./builtin
        assertThat(s.modules()).extracting(m -> m.name()).contains("./builtin", "qapi-schema.json",
                "block-core.json", "pragma.json");
    }

    @Test
    void qemu72ChecksWithTheseEntityCounts() {
        Schema s = qemu72();
        assertThat(s.commands()).hasSize(220);
        assertThat(s.events()).hasSize(52);
        assertThat(s.ofKind(EnumType.class)).hasSize(156);
        assertThat(s.ofKind(ObjectType.class)).hasSize(649);
        assertThat(s.ofKind(ArrayType.class)).hasSize(103);
    }

    @Test
    void builtinTypesComeFirstWithTheirArrays() {
        List<String> first = qemu102().definitions().stream().limit(6).map(d -> d.name()).toList();
        assertThat(first).containsExactly("str", "strList", "number", "numberList", "int", "intList");
        assertThat(qemu102().type("QType")).get().isInstanceOfSatisfying(EnumType.class,
                e -> assertThat(e.valueNames()).containsExactly("none", "qnull", "qnum", "qstring", "qdict",
                        "qlist", "qbool"));
        assertThat(qemu102().type("q_empty")).get().isInstanceOfSatisfying(ObjectType.class,
                o -> assertThat(o.isEmpty()).isTrue());
    }

    @Test
    void yankCommandsAllowOutOfBand() {
        for (Schema s : List.of(qemu72(), qemu102())) {
            Command yank = s.command("yank").orElseThrow();
            assertThat(yank.allowOob()).isTrue();
            assertThat(yank.argType()).get().extracting(t -> t.name()).isEqualTo("q_obj_yank-arg");
            ObjectType arg = (ObjectType) yank.argType().orElseThrow().type();
            assertThat(arg.members()).extracting(Member::name).containsExactly("instances");
            assertThat(arg.members().getFirst().type().name()).isEqualTo("YankInstanceList");
            Command queryYank = s.command("query-yank").orElseThrow();
            assertThat(queryYank.allowOob()).isTrue();
            assertThat(queryYank.returnType().orElseThrow().type()).isInstanceOfSatisfying(ArrayType.class,
                    a -> assertThat(a.elementType().name()).isEqualTo("YankInstance"));
            assertThat(s.command("qmp_capabilities").orElseThrow().allowPreconfig()).isTrue();
            assertThat(s.command("device_add").orElseThrow().gen()).isFalse();
        }
    }

    @Test
    void blockdevOptionsIsAUnionOnDriverWithAnImplicitBase() {
        ObjectType options = (ObjectType) qemu102().type("BlockdevOptions").orElseThrow();
        assertThat(options.meta()).isEqualTo("union");
        assertThat(options.base()).get().extracting(t -> t.name()).isEqualTo("q_obj_BlockdevOptions-base");
        var branches = options.branches().orElseThrow();
        assertThat(branches.discriminator().name()).isEqualTo("driver");
        assertThat(branches.discriminator().type().name()).isEqualTo("BlockdevDriver");
        assertThat(branches.discriminator().optional()).isFalse();
        EnumType driver = (EnumType) branches.discriminator().type().type();
        // one branch per driver; a driver the schema gives no branch gets q_empty
        assertThat(branches.variants()).extracting(v -> v.name())
                .containsExactlyInAnyOrderElementsOf(driver.valueNames());
        assertThat(branches.variants()).filteredOn(v -> v.name().equals("qcow2"))
                .extracting(v -> v.type().name()).containsExactly("BlockdevOptionsQcow2");
        assertThat(options.members()).extracting(Member::name).startsWith("driver", "node-name");
        assertThat(options.member("driver").orElseThrow().definedIn()).isEqualTo("q_obj_BlockdevOptions-base");
        // conditional drivers carry the condition of their enum value into the branch
        assertThat(branches.variants()).filteredOn(v -> v.name().equals("replication"))
                .extracting(v -> v.condition()).containsExactly(new Condition.Config("CONFIG_REPLICATION"));
    }

    @Test
    void deprecatedFeaturesSitOnCommandsAndMembers() {
        Schema s = qemu72();
        assertThat(s.command("drive-backup").orElseThrow().hasFeature(Feature.DEPRECATED)).isTrue();
        ObjectType commitArgs = (ObjectType) s.command("block-commit").orElseThrow().argType().orElseThrow().type();
        assertThat(commitArgs.member("base").orElseThrow().features()).extracting(Feature::name)
                .containsExactly("deprecated");
        assertThat(commitArgs.member("base-node").orElseThrow().features()).isEmpty();
        ObjectType throttle = (ObjectType) s.type("BlockIOThrottle").orElseThrow();
        assertThat(throttle.member("device").orElseThrow().features()).extracting(Feature::name)
                .containsExactly("deprecated");
    }

    @Test
    void docCommentsAreAttached() {
        Command quit = qemu102().command("quit").orElseThrow();
        var doc = quit.doc().orElseThrow();
        assertThat(doc.symbol()).contains("quit");
        assertThat(doc.since()).contains("0.14");
        Command blockResize = qemu102().command("block_resize").orElseThrow();
        var resizeDoc = blockResize.doc().orElseThrow();
        assertThat(resizeDoc.member("size")).get().extracting(DocSection::text).asString()
                .isEqualTo("new image size in bytes");
        assertThat(resizeDoc.section(DocSection.Kind.ERRORS)).isPresent();
        // 7.2's examples are sections of their own under the legacy rules
        assertThat(qemu72().command("quit").orElseThrow().doc().orElseThrow().section(DocSection.Kind.EXAMPLE))
                .isPresent();
    }

    @Test
    void eventsAndConditions() {
        Event shutdown = qemu102().event("SHUTDOWN").orElseThrow();
        ObjectType data = (ObjectType) shutdown.argType().orElseThrow().type();
        assertThat(data.members()).extracting(Member::name).containsExactly("guest", "reason");
        assertThat(qemu102().event("STOP").orElseThrow().argType()).isEmpty();
        Command spice = qemu102().command("query-spice").orElseThrow();
        assertThat(spice.condition()).isEqualTo(new Condition.Config("CONFIG_SPICE"));
        assertThat(spice.condition().holds(sym -> false)).isFalse();
    }
}
