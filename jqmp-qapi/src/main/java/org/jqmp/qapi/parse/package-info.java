/**
 * Internal: the schema syntax, directives and doc comment grammar (QEMU's parser.py). Only the compiler's
 * own packages use it.
 */
package org.jqmp.qapi.parse;
