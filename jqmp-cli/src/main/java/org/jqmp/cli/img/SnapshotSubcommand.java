package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.SnapshotCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snapshot [--object objectdef] [--image-opts] [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot]
 * filename}. jqmp lists internal snapshots; creating, applying and deleting them is not implemented yet.
 */
@Command(name = "snapshot", description = "List the internal snapshots of a qcow2 image (-l).")
final class SnapshotSubcommand extends ImgSubcommand {
    private final List<String> actions = new ArrayList<>();

    @Option(names = "-l", description = "list snapshots")
    void list(boolean on) {
        action("-l");
    }

    @Option(names = "-a", paramLabel = "snapshot", description = "apply a snapshot (not supported)")
    void apply(String name) {
        action("-a");
    }

    @Option(names = "-c", paramLabel = "snapshot", description = "create a snapshot (not supported)")
    void create(String name) {
        action("-c");
    }

    @Option(names = "-d", paramLabel = "snapshot", description = "delete a snapshot (not supported)")
    void delete(String name) {
        action("-d");
    }

    @Option(names = "-q", description = "quiet") boolean quiet;
    @Option(names = {"-U", "--force-share"}) boolean forceShare;
    @Option(names = "--image-opts") boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    private void action(String option) {
        if (!actions.isEmpty()) {
            throw ImgError.usage("Cannot mix '-l', '-a', '-c', '-d'");
        }
        actions.add(option);
    }

    @Override
    int run() {
        expectOne(files);
        refuseImageOpts(imageOpts);
        if (!actions.isEmpty() && !actions.get(0).equals("-l")) {
            throw new ImgError("snapshot " + actions.get(0) + " is not supported by jqmp img yet (only -l)", false);
        }
        if (actions.isEmpty()) {
            return 0; // qemu-img 7.2 opens the image and does nothing without an action
        }
        return SnapshotCommand.list(new SnapshotCommand.Options(files.get(0), null, forceShare), out, err);
    }
}
