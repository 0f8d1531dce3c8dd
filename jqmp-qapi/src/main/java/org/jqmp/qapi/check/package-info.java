/**
 * Internal: the semantic checks (QEMU's expr.py and schema.py) and the construction of the model. Only
 * {@link org.jqmp.qapi.QapiCompiler} uses it.
 */
package org.jqmp.qapi.check;
