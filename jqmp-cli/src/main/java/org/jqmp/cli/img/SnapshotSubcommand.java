package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.SnapshotCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snapshot [--object objectdef] [--image-opts] [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot]
 * filename}: lists, creates, applies and deletes the internal snapshots of a qcow2 image.
 */
@Command(name = "snapshot", description = "List (-l), create (-c), apply (-a) or delete (-d) internal snapshots.")
final class SnapshotSubcommand extends ImgSubcommand {
    private final List<String> actions = new ArrayList<>();
    private String snapshot;

    @Option(names = "-l", description = "list snapshots")
    void list(boolean on) {
        action("-l");
    }

    @Option(names = "-a", paramLabel = "snapshot", description = "apply a snapshot")
    void apply(String name) {
        action("-a");
        snapshot = name;
    }

    @Option(names = "-c", paramLabel = "snapshot", description = "create a snapshot")
    void create(String name) {
        action("-c");
        snapshot = name;
    }

    @Option(names = "-d", paramLabel = "snapshot", description = "delete a snapshot")
    void delete(String name) {
        action("-d");
        snapshot = name;
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
        if (actions.isEmpty()) {
            return 0; // qemu-img 7.2 opens the image and does nothing without an action
        }
        var options = new SnapshotCommand.Options(files.get(0), null, forceShare);
        return switch (actions.get(0)) {
            case "-c" -> SnapshotCommand.create(options, snapshot, err);
            case "-a" -> SnapshotCommand.apply(options, snapshot, err);
            case "-d" -> SnapshotCommand.delete(options, snapshot, err);
            default -> SnapshotCommand.list(options, out, err);
        };
    }
}
