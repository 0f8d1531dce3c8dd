/**
 * The checked schema: a sealed family of {@link org.jqmp.qapi.model.Definition} records (built-in, enum,
 * array, object, alternate types; commands; events) with resolved type references, conditions, features
 * and doc comments. Public API, for code generators and the introspection builder.
 */
package org.jqmp.qapi.model;
