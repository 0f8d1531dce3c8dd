package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.MapCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code map [--object objectdef] [--image-opts] [-f fmt] [--start-offset=offset] [--max-length=len]
 * [--output=ofmt] [-U] filename}.
 */
@Command(name = "map", description = "Show where each range of an image's content comes from.")
final class MapSubcommand extends ImgSubcommand {
    @Option(names = {"-f", "--format"}, paramLabel = "fmt")
    String format;

    @Option(names = "--output", paramLabel = "ofmt", description = "human or json")
    String output;

    @Option(names = {"-s", "--start-offset"}, paramLabel = "offset", description = "first byte to map")
    void startOffset(String value) {
        start = SizeArgument.parse("start offset", value);
    }

    @Option(names = {"-l", "--max-length"}, paramLabel = "len", description = "how many bytes to map")
    void maxLength(String value) {
        length = SizeArgument.parse("max length", value);
    }

    @Option(names = {"-U", "--force-share"})
    boolean forceShare;

    @Option(names = "--image-opts")
    boolean imageOpts;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    private long start;
    private long length = -1;

    @Override
    int run() {
        expectOne(files);
        boolean json = json(output);
        refuseImageOpts(imageOpts);
        return MapCommand.run(new MapCommand.Options(files.get(0), format, json, forceShare, start, length), out, err);
    }
}
