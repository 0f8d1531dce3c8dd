/** The machine's command handlers behind the generated marshallers. Not API: only {@code org.jqmp.machine} uses it. */
package org.jqmp.machine.internal;
