package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.CommitCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code commit [--object objectdef] [--image-opts] [-q] [-f fmt] [-t cache] [-b base] [-r rate_limit] [-d] [-p]
 * filename}. {@code -b} names any image of the backing chain (found as qemu-img finds it) and, as in qemu-img,
 * implies -d: the image stays as it is.
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
        var o = new CommitCommand.Options(files.get(0), format, keep || base != null, progress && !quiet, quiet, base);
        return CommitCommand.run(o, out, err);
    }
}
