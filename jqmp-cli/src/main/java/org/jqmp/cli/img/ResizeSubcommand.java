package org.jqmp.cli.img;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.ResizeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code resize [--object objectdef] [--image-opts] [-f fmt] [--preallocation=prealloc] [-q] [--shrink] filename
 * [+ | -]size}. Like qemu-img, the last argument is taken as the size before options are read, so that "-1G" is
 * a size and not an option ({@link ImgTool} sets {@link #size}).
 */
@Command(name = "resize", description = "Grow or shrink an image's virtual size.")
final class ResizeSubcommand extends ImgSubcommand {
    private static final List<String> PREALLOCATION = List.of("off", "metadata", "falloc", "full");

    @Option(names = {"-f", "--format"}, paramLabel = "fmt") String format;
    @Option(names = "--shrink", description = "allow shrinking") boolean shrink;
    @Option(names = "-q", description = "quiet") boolean quiet;
    @Option(names = "--image-opts") boolean imageOpts;

    @Option(names = "--preallocation", paramLabel = "prealloc", description = "off, metadata, falloc or full")
    void preallocation(String mode) {
        if (!PREALLOCATION.contains(mode)) {
            throw new ImgError("Invalid preallocation mode '" + mode + "'", false);
        }
        preallocation = mode;
    }

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    /** The size argument, taken off the end of the command line before parsing. */
    String size;
    private String preallocation = "off";

    @Override
    int run() {
        if (files.size() != 1) {
            throw ImgError.usage("Expecting image file name and size");
        }
        refuseImageOpts(imageOpts);
        String sign = size.startsWith("+") || size.startsWith("-") ? size.substring(0, 1) : "";
        BigInteger bytes = SizeArgument.bytes(size.substring(sign.length()));
        if (bytes == null || bytes.bitLength() > 64) {
            throw ImgError.withHint("Parameter 'size' expects a non-negative number below 2^64",
                    "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                            + "and exabytes, respectively.");
        }
        if (bytes.bitLength() > 63) {
            throw new ImgError("New image size must be positive", false); // QEMU's int64 wraps negative
        }
        unsupported(!preallocation.equals("off"), "--preallocation=" + preallocation);
        var o = new ResizeCommand.Options(files.get(0), format, sign + bytes, shrink, quiet);
        return ResizeCommand.run(o, out, err);
    }
}
