package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.InfoCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code info [--object objectdef] [--image-opts] [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename}. */
@Command(name = "info", description = "Show what an image is: format, sizes, backing file, format details.")
final class InfoSubcommand extends ImgSubcommand {
    @Option(names = {"-f", "--format"}, paramLabel = "fmt", description = "image format (default: probed)")
    String format;

    @Option(names = "--output", paramLabel = "ofmt", description = "human or json")
    String output;

    @Option(names = "--backing-chain", description = "show every image of the backing chain")
    boolean backingChain;

    @Option(names = {"-U", "--force-share"}, description = "open even if another process holds the image")
    boolean forceShare;

    @Option(names = "--image-opts", description = "treat filename as options (not supported)")
    boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        expectOne(files);
        boolean json = json(output);
        refuseImageOpts(imageOpts);
        return InfoCommand.run(new InfoCommand.Options(files.get(0), format, json, backingChain, forceShare), out, err);
    }
}
