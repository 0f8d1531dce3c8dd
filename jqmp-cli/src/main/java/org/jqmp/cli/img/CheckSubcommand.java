package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.CheckCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code check [--object objectdef] [--image-opts] [-q] [-f fmt] [--output=ofmt] [-r [leaks | all]] [-T src_cache]
 * [-U] filename}. Exit codes 0 clean, 1 error, 2 corruptions, 3 leaks, 63 no checks for the format.
 */
@Command(name = "check", description = "Check an image for corruptions and leaks; repair with -r.")
final class CheckSubcommand extends ImgSubcommand {
    @Option(names = {"-f", "--format"}, paramLabel = "fmt")
    String format;

    @Option(names = "--output", paramLabel = "ofmt", description = "human or json")
    String output;

    @Option(names = {"-r", "--repair"}, paramLabel = "leaks|all", description = "repair leaks, or everything")
    String repair;

    @Option(names = "-T", paramLabel = "src_cache", description = "cache mode (accepted; jqmp uses the page cache)")
    String cache;

    @Option(names = "-q", description = "quiet")
    boolean quiet;

    @Option(names = {"-U", "--force-share"})
    boolean forceShare;

    @Option(names = "--image-opts")
    boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        if (repair != null && !repair.equals("leaks") && !repair.equals("all")) {
            throw ImgError.usage("Unknown option value for -r (expecting 'leaks' or 'all'): " + repair);
        }
        expectOne(files);
        boolean json = json(output);
        refuseImageOpts(imageOpts);
        checkCacheMode(cache, "source cache");
        // -r opens the image for writing, which -U cannot share (QEMU drops force-share with -r)
        var options = new CheckCommand.Options(files.get(0), format, json, repair, forceShare && repair == null);
        return CheckCommand.run(options, quietly(out, quiet), err);
    }
}
