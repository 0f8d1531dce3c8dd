package org.jqmp.machine.block;

import java.util.concurrent.ThreadLocalRandom;

/**
 * QEMU's automatic node names ({@code id_generate(ID_BLOCK)} in {@code util/id.c}): {@code #block}, a counter
 * shared by every node the machine ever opened, then two random digits - {@code #block133} is node 1. The
 * leading {@code #} keeps them apart from user names, which must be identifiers.
 */
final class NodeNames {
    private long counter;

    synchronized String next() {
        return "#block" + counter++ + String.format("%02d", ThreadLocalRandom.current().nextInt(100));
    }
}
