package org.jqmp.cli.img;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.img.CommitCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code commit [--object objectdef] [--image-opts] [-q] [-f fmt] [-t cache] [-b base] [-r rate_limit] [-d] [-p]
 * filename}. jqmp commits into the immediate backing file; {@code -b} may name it (and, as in qemu-img, implies
 * emptying the image is skipped: -b implies -d).
 */
@Command(name = "commit", description = "Write an overlay's content into its backing file.")
final class CommitSubcommand extends ImgSubcommand {
    @Option(names = "-f", paramLabel = "fmt") String format;
    @Option(names = "-t", paramLabel = "cache") String cache;
    @Option(names = "-b", paramLabel = "base") String base;
    @Option(names = "-d", description = "keep the image's content (do not empty it)") boolean keep;
    @Option(names = "-p", description = "show progress") boolean progress;
    @Option(names = "-q", description = "quiet") boolean quiet;
    @Option(names = "--image-opts") boolean imageOpts;

    @Option(names = "-r", paramLabel = "rate_limit", description = "bytes per second (accepted; not enforced)")
    void rateLimit(String value) {
        SizeArgument.parse("rate limit", value);
    }

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        expectOne(files);
        refuseImageOpts(imageOpts);
        checkCacheMode(cache, "cache");
        String filename = files.get(0);
        if (base != null) {
            checkBase(filename);
        }
        var o = new CommitCommand.Options(filename, format, keep || base != null, progress && !quiet, quiet);
        return CommitCommand.run(o, out, err);
    }

    /** -b must name an image of the backing chain; jqmp can only commit into the first one. */
    private void checkBase(String filename) {
        // QEMU matches -b as given and relative to the image's directory
        var wanted = new java.util.HashSet<>(List.of(Path.of(base).toAbsolutePath().normalize(),
                BlockImages.resolveBacking(Path.of(filename), base).toAbsolutePath().normalize()));
        try (BlockNode top = BlockImages.open(Path.of(filename), OpenOptions.readOnlyOptions().withForceShare(true))) {
            int depth = 0;
            for (BlockNode n = top.backing().orElse(null); n != null; n = n.backing().orElse(null)) {
                depth++;
                if (wanted.contains(Path.of(n.filename()).toAbsolutePath().normalize())) {
                    unsupported(depth > 1, "commit -b into an image below the immediate backing file");
                    return;
                }
            }
        } catch (BlockException e) {
            throw new ImgError(e.getMessage(), false);
        }
        throw new ImgError("Did not find '" + base + "' in the backing chain of '" + filename + "'", false);
    }
}
