package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.RebaseCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rebase [--object objectdef] [--image-opts] [-U] [-q] [-f fmt] [-t cache] [-T src_cache] [-p] [-u]
 * -b backing_file [-F backing_fmt] filename}. {@code -b ""} (or -u without -b) removes the backing file.
 */
@Command(name = "rebase", description = "Change the backing file of an image (safe: keeps its content; -u: header only).")
final class RebaseSubcommand extends ImgSubcommand {
    @Option(names = "-f", paramLabel = "fmt") String format;
    @Option(names = "-b", paramLabel = "backing_file") String backing;
    @Option(names = "-F", paramLabel = "backing_fmt") String backingFormat;
    @Option(names = "-u", description = "unsafe: only change the header") boolean unsafe;
    @Option(names = "-p", description = "show progress") boolean progress;
    @Option(names = "-q", description = "quiet") boolean quiet;
    @Option(names = "-t", paramLabel = "cache") String cache;
    @Option(names = "-T", paramLabel = "src_cache") String sourceCache;
    @Option(names = {"-U", "--force-share"}) boolean forceShare;
    @Option(names = "--image-opts") boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        expectOne(files);
        if (!unsafe && backing == null) {
            throw ImgError.usage("Must specify backing file (-b) or use unsafe mode (-u)");
        }
        refuseImageOpts(imageOpts);
        checkCacheMode(cache, "cache");
        checkCacheMode(sourceCache, "source cache");
        var o = new RebaseCommand.Options(files.get(0), format, backing, backingFormat, unsafe, progress && !quiet,
                quiet);
        return RebaseCommand.run(o, out, err);
    }
}
