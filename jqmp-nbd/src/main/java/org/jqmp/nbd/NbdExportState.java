package org.jqmp.nbd;

/**
 * What the server says about one export (query-block-exports' view).
 *
 * @param export       the export
 * @param connections  clients in transmission on it
 * @param shuttingDown removal was requested; it is gone once the last client leaves
 */
public record NbdExportState(NbdExport export, int connections, boolean shuttingDown) {
}
