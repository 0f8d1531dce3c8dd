package org.jqmp.nbd;

import java.util.Objects;
import org.jqmp.block.BlockNode;

/**
 * One export: a block node offered to NBD clients under a name. The server never closes the node; whoever
 * added the export does, after the export-deleted callback ({@link NbdServerOptions#exportDeleted()}).
 *
 * @param name        the name clients ask for (NBD_OPT_GO, NBD_OPT_EXPORT_NAME); "" is qemu-nbd's default
 * @param description free text for NBD_OPT_LIST and NBD_INFO_DESCRIPTION; "" for none
 * @param node        the node served
 * @param writable    clients may write (the node must then be writable too)
 */
public record NbdExport(String name, String description, BlockNode node, boolean writable) {
    public NbdExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        description = description == null ? "" : description;
        if (writable && node.isReadOnly()) {
            throw new NbdException("export '" + name + "'",
                    "cannot export node '" + node.filename() + "' writable: it was opened read-only");
        }
    }
}
