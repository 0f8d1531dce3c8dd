package org.jqmp.cli.run;

import org.jqmp.machine.block.DriveConfig;

/**
 * One drive the command line asks for, resolved, with the option that asked (QEMU prefixes errors opening the
 * image with it); {@code location} is null for the machine's default drives.
 *
 * @param node     the {@code -blockdev} node a {@code -device} model takes as its medium, or null
 * @param snapshot {@code snapshot=on}: writes go to a temporary overlay, the image is only read
 */
public record DriveRequest(String location, DriveConfig config, String node, boolean snapshot) {
    public DriveRequest(String location, DriveConfig config, String node) {
        this(location, config, node, false);
    }
}
