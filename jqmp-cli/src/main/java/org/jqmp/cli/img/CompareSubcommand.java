package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.CompareCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compare [--object objectdef] [--image-opts] [-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] [-U]
 * filename1 filename2}: 0 identical, 1 different, 2 error (usage errors exit 1, as in qemu-img).
 */
@Command(name = "compare", description = "Compare the content of two images.")
final class CompareSubcommand extends ImgSubcommand {
    @Option(names = "-f", paramLabel = "fmt", description = "format of the first image")
    String firstFormat;

    @Option(names = "-F", paramLabel = "fmt", description = "format of the second image")
    String secondFormat;

    @Option(names = "-T", paramLabel = "src_cache")
    String cache;

    @Option(names = "-p", description = "progress (accepted; compare shows none yet)")
    boolean progress;

    @Option(names = "-q", description = "quiet")
    boolean quiet;

    @Option(names = "-s", description = "strict: images of different sizes differ")
    boolean strict;

    @Option(names = {"-U", "--force-share"})
    boolean forceShare;

    @Option(names = "--image-opts")
    boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        if (files.size() != 2) {
            throw ImgError.usage("Expecting two image file names");
        }
        try {
            refuseImageOpts(imageOpts);
            checkCacheMode(cache, "source cache");
        } catch (ImgError e) {
            throw e.withExitCode(2);
        }
        var o = new CompareCommand.Options(files.get(0), firstFormat, files.get(1), secondFormat, strict, forceShare);
        return CompareCommand.run(o, quietly(out, quiet), err);
    }
}
