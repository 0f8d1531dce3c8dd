package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.CreateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create [--object objectdef] [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u] [-o options] filename
 * [size]}. Several -o are joined with commas, as qemu-img does.
 */
@Command(name = "create", description = "Create a new image (raw or qcow2).")
final class CreateSubcommand extends ImgSubcommand {
    @Option(names = "-f", paramLabel = "fmt", description = "raw (default) or qcow2")
    String format;

    @Option(names = "-b", paramLabel = "backing_file")
    String backingFile;

    @Option(names = "-F", paramLabel = "backing_fmt")
    String backingFormat;

    @Option(names = "-u", description = "do not open the backing file (unsafe)")
    boolean unsafe;

    @Option(names = "-o", paramLabel = "options", description = "format options, key=value,...; -o help lists them")
    List<String> options = new ArrayList<>();

    @Option(names = "-q", description = "quiet")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "filename [size]")
    List<String> args = new ArrayList<>();

    @Override
    int run() {
        String joined = options.isEmpty() ? null : String.join(",", options);
        if (joined != null && FormatOptionsHelp.asked(joined)) {
            return FormatOptionsHelp.print(format == null ? "raw" : format, out, err);
        }
        if (args.isEmpty()) {
            throw ImgError.usage("Expecting image file name");
        }
        long size = args.size() > 1 ? SizeArgument.parse("image size", args.get(1)) : -1;
        if (args.size() > 2) {
            throw ImgError.usage("Unexpected argument: " + args.get(2));
        }
        String fmt = format == null ? "raw" : format;
        if (!fmt.equals("raw") && !fmt.equals("qcow2")) {
            throw new ImgError(args.get(0) + ": Unknown file format '" + fmt + "'", false);
        }
        var o = new CreateCommand.Options(args.get(0), format, size, backingFile, backingFormat,
                CreateCommand.parseOptions(joined), unsafe, quiet);
        return CreateCommand.run(o, out, err);
    }
}
