package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.DocSection;
import org.jqmp.qapi.model.DocSection.Kind;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.Variant;
import org.junit.jupiter.api.Test;

/** good/good.json uses every construct; the model must say exactly what it declares. */
class GoodSchemaTest {
    private static final Path MAIN = Path.of("src/test/resources/good/good.json");
    private final Schema schema = QapiCompiler.check(MAIN);

    @Test
    void modulesFollowTheIncludesAndIncludingTwiceIsANoOp() {
        assertThat(schema.modules()).extracting(m -> m.name())
                .containsExactly("./builtin", "good.json", "sub/shapes.json", "sub/more.json");
        assertThat(schema.modules().get(1).includes()).containsExactly("sub/shapes.json", "sub/shapes.json",
                "sub/more.json");
        assertThat(schema.type("Shape").orElseThrow().module()).isEqualTo("sub/shapes.json");
        assertThat(schema.type("strList").orElseThrow().module()).isEqualTo("./builtin");
        assertThat(schema.type("BoxList").orElseThrow().module()).isEqualTo("good.json");
    }

    @Test
    void enumWithPrefixConditionalValueAndValueFeature() {
        EnumType colour = (EnumType) schema.type("Colour").orElseThrow();
        assertThat(colour.prefix()).contains("COL");
        assertThat(colour.valueNames()).containsExactly("red", "green", "ultraviolet");
        var uv = colour.values().get(2);
        assertThat(uv.condition()).isEqualTo(new Condition.All(List.of(new Condition.Config("CONFIG_UV"),
                new Condition.Not(new Condition.Config("CONFIG_DIM")))));
        assertThat(uv.condition().holds(s -> s.equals("CONFIG_UV"))).isTrue();
        assertThat(uv.condition().holds(s -> true)).isFalse();
        assertThat(uv.features()).extracting(f -> f.name()).containsExactly("shiny");
    }

    @Test
    void structMembersFlattenTheBaseFirst() {
        ObjectType box = (ObjectType) schema.type("Box").orElseThrow();
        assertThat(box.meta()).isEqualTo("struct");
        assertThat(box.base()).get().extracting(b -> b.name()).isEqualTo("Crate");
        assertThat(box.localMembers()).extracting(Member::name).containsExactly("lid", "colour", "labels", "weight");
        assertThat(box.members()).extracting(Member::name)
                .containsExactly("size", "lid", "colour", "labels", "weight");
        Member size = box.members().getFirst();
        assertThat(size.definedIn()).isEqualTo("Crate");
        assertThat(size.type().type()).isEqualTo(new BuiltinType("size", JsonType.INT));
        Member colour = box.member("colour").orElseThrow();
        assertThat(colour.optional()).isTrue();
        assertThat(colour.features()).extracting(f -> f.name()).containsExactly("deprecated");
        assertThat(box.member("labels").orElseThrow().type().type()).isInstanceOfSatisfying(ArrayType.class,
                a -> assertThat(a.elementType().type().name()).isEqualTo("str"));
        assertThat(box.member("weight").orElseThrow().condition()).isEqualTo(new Condition.Config("CONFIG_SCALES"));
        assertThat(box.features()).extracting(f -> f.name()).containsExactly("extensible");
    }

    @Test
    void unionGetsImplicitBaseAndEmptyBranches() {
        ObjectType shape = (ObjectType) schema.type("Shape").orElseThrow();
        assertThat(shape.meta()).isEqualTo("union");
        ObjectType base = (ObjectType) shape.base().orElseThrow().type();
        assertThat(base.name()).isEqualTo("q_obj_Shape-base");
        assertThat(base.isImplicit()).isTrue();
        assertThat(shape.members()).extracting(Member::name).containsExactly("kind", "name");
        List<Variant> variants = shape.branches().orElseThrow().variants();
        assertThat(variants).extracting(Variant::name).containsExactly("circle", "square", "point");
        assertThat(variants.get(1).condition()).isEqualTo(new Condition.Config("CONFIG_SQUARES"));
        assertThat(variants.get(2).type().name()).isEqualTo(ObjectType.EMPTY);
    }

    @Test
    void alternateMayHoldArraysAndNull() {
        AlternateType either = (AlternateType) schema.type("Either").orElseThrow();
        assertThat(either.alternatives()).extracting(v -> v.type().type().jsonType())
                .containsExactly(JsonType.INT, JsonType.ARRAY, JsonType.NULL);
    }

    @Test
    void commandsCarryEveryFlag() {
        Command open = schema.command("open-box").orElseThrow();
        assertThat(open.argType()).get().extracting(t -> t.name()).isEqualTo("q_obj_open-box-arg");
        assertThat(open.returnType()).get().extracting(t -> t.name()).isEqualTo("Box");
        assertThat(open.allowOob()).isTrue();
        assertThat(open.allowPreconfig()).isTrue();
        assertThat(open.gen()).isTrue();
        assertThat(open.successResponse()).isTrue();
        assertThat(open.features()).extracting(f -> f.name()).containsExactly("unstable");
        Command lid = schema.command("open_lid").orElseThrow();
        assertThat(lid.gen()).isFalse();
        assertThat(lid.successResponse()).isFalse();
        assertThat(lid.argType()).isEmpty();
        assertThat(lid.returnType()).isEmpty();
        assertThat(schema.command("count-boxes").orElseThrow().coroutine()).isTrue();
        Command draw = schema.command("draw").orElseThrow();
        assertThat(draw.boxed()).isTrue();
        assertThat(draw.argType().orElseThrow().type()).isInstanceOf(ObjectType.class);
        assertThat(draw.condition()).isEqualTo(new Condition.Config("CONFIG_DRAW"));
        assertThat(schema.command("list-boxes").orElseThrow().returnType()).get()
                .extracting(t -> t.name()).isEqualTo("BoxList");
    }

    @Test
    void eventsAndTheSealedFamilyWalk() {
        Event opened = schema.event("BOX_OPENED").orElseThrow();
        assertThat(opened.argType()).get().extracting(t -> t.name()).isEqualTo("q_obj_BOX_OPENED-arg");
        assertThat(schema.event("SHAPE_DRAWN").orElseThrow().boxed()).isTrue();
        // A generator's walk: a switch over the sealed family covers every definition.
        long named = schema.definitions().stream().filter(d -> switch (d) {
            case BuiltinType b -> false;
            case ArrayType a -> false;
            case EnumType e -> !e.isImplicit();
            case ObjectType o -> !o.isImplicit();
            case AlternateType a -> true;
            case Command c -> true;
            case Event e -> true;
        }).count();
        // enums Colour, ShapeKind; structs and unions Box, Legacy, Circle, Square, Shape, Crate; Either;
        // five commands, two events
        assertThat(named).isEqualTo(2 + 6 + 1 + 5 + 2);
        assertThat(schema.definitions()).extracting(Definition::name).contains("q_empty", "QType");
    }

    @Test
    void docCommentsHaveTheirSections() {
        DocComment doc = schema.command("open-box").orElseThrow().doc().orElseThrow();
        assertThat(doc.body().text()).isEqualTo("Opens a box.");
        assertThat(doc.member("box")).get().extracting(DocSection::text).isEqualTo("which box");
        assertThat(doc.section(Kind.RETURNS)).get().extracting(DocSection::text).isEqualTo("what was inside");
        assertThat(doc.section(Kind.ERRORS)).get().extracting(DocSection::text)
                .isEqualTo("    - If the box is locked, GenericError");
        assertThat(doc.feature("unstable")).isPresent();
        assertThat(doc.since()).contains("2.0");
        assertThat(doc.section(Kind.TODO)).get().extracting(DocSection::text).isEqualTo("make it faster");
        assertThat(doc.sections()).extracting(DocSection::kind).containsExactly(Kind.PLAIN, Kind.MEMBER,
                Kind.MEMBER, Kind.RETURNS, Kind.ERRORS, Kind.FEATURE, Kind.SINCE, Kind.TODO);
        DocComment box = schema.type("Box").orElseThrow().doc().orElseThrow();
        assertThat(box.member("colour")).get().extracting(DocSection::text)
                .isEqualTo("its colour, if painted\n    (continuation, indented)");
        assertThat(box.member("colour").orElseThrow().location().line()).isEqualTo(50);
        // documentation-exceptions: the undocumented member gets an empty stub
        assertThat(schema.type("Legacy").orElseThrow().doc().orElseThrow().member("Old_Name")).get()
                .extracting(DocSection::text).isEqualTo("");
        DocComment freeForm = schema.docs().stream().filter(d -> d.symbol().isEmpty()).findFirst().orElseThrow();
        assertThat(freeForm.body().text()).startsWith("*****\nBoxes\n*****");
    }

    @Test
    void pragmasAndFeatures() {
        assertThat(schema.pragma().docRequired()).isTrue();
        assertThat(schema.pragma().commandNameExceptions()).containsExactly("open_lid");
        assertThat(schema.featureNames()).containsExactly("deprecated", "unstable", "shiny", "extensible");
    }
}
