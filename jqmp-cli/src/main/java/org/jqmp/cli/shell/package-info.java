/** {@code jqmp shell}: qmp-shell's interactive language over jqmp-client, with JLine. Internal to the CLI. */
package org.jqmp.cli.shell;
