/** {@code jqmp qmp}: one QMP command from a script, through jqmp-client. Internal to the CLI. */
package org.jqmp.cli.qmp;
