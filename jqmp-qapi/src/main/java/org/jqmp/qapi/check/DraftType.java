package org.jqmp.qapi.check;

import java.util.List;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

/** A type while the schema is checked (QEMU's QAPISchemaType). */
abstract class DraftType extends DraftDefinition {

    DraftType(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features) {
        super(name, info, doc, condition, features);
    }

    abstract JsonType jsonType();

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        // The special features steer -compat policies, which act on commands, events and members only.
        for (DraftMember f : features) {
            if (f.isSpecialFeature()) {
                throw info.error("feature '" + f.name + "' is not supported for types");
            }
        }
    }

    /** The QType an alternate dispatches on for this type; null when an alternate cannot use it. */
    String alternateQtype() {
        return switch (jsonType()) {
            case NULL -> "QTYPE_QNULL";
            case STRING -> "QTYPE_QSTRING";
            case NUMBER, INT -> "QTYPE_QNUM";
            case BOOLEAN -> "QTYPE_QBOOL";
            case ARRAY -> "QTYPE_QLIST";
            case OBJECT -> "QTYPE_QDICT";
            case VALUE -> null;
        };
    }

    @Override
    String describe() {
        return meta() + " type '" + name + "'";
    }
}
