package org.jqmp.qapi.model;

/** A type: something a member, array element, branch, argument or return value can be. */
public sealed interface SchemaType extends Definition
        permits BuiltinType, EnumType, ArrayType, ObjectType, AlternateType {

    JsonType jsonType();
}
