package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.img.ConvertCommand;
import org.jqmp.block.img.CreateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convert [--object objectdef] [--image-opts] [--target-image-opts] [--target-is-zero] [--bitmaps] [-U] [-C]
 * [-c] [-p] [-q] [-n] [-f fmt] [-t cache] [-T src_cache] [-O output_fmt] [-B backing_file [-F backing_fmt]]
 * [-o options] [-l snapshot_param] [-S sparse_size] [-r rate_limit] [-m num_coroutines] [-W] [--salvage]
 * filename [filename2 [...]] output_filename}. jqmp copies one source; options that only tune speed (-C, -m, -W,
 * -r, -t, -T) are checked and accepted; -B, -n, -S and --target-is-zero shape the target as in qemu-img, -l picks an
 * internal snapshot of the source; those that change the result and are not implemented yet (--salvage,
 * --bitmaps, several sources) are refused.
 */
@Command(name = "convert", description = "Copy an image into a new image, possibly of another format.")
final class ConvertSubcommand extends ImgSubcommand {
    private static final int MAX_COROUTINES = 16;
    private static final long MAX_SPARSE = 32768L * 512; // qemu-img's MAX_BUF_SECTORS sectors

    @Option(names = "-f", paramLabel = "fmt") String sourceFormat;
    @Option(names = "-O", paramLabel = "output_fmt") String targetFormat;
    @Option(names = "-B", paramLabel = "backing_file") String backingFile;
    @Option(names = "-F", paramLabel = "backing_fmt") String backingFormat;
    @Option(names = "-o", paramLabel = "options") List<String> options = new ArrayList<>();
    @Option(names = "-l", paramLabel = "snapshot_param") String snapshot;
    @Option(names = "-S", paramLabel = "sparse_size") String sparseSize;
    @Option(names = "-r", paramLabel = "rate_limit") String rateLimit;
    @Option(names = "-m", paramLabel = "num_coroutines") String coroutines;
    @Option(names = "-t", paramLabel = "cache") String cache;
    @Option(names = "-T", paramLabel = "src_cache") String sourceCache;
    @Option(names = "-c", description = "compress the target (qcow2)") boolean compressed;
    @Option(names = "-C", description = "copy offloading (accepted)") boolean copyRange;
    @Option(names = "-p", description = "show progress") boolean progress;
    @Option(names = "-q", description = "quiet") boolean quiet;
    @Option(names = "-n", description = "do not create the target") boolean skipCreate;
    @Option(names = "-W", description = "out-of-order writes (accepted)") boolean outOfOrder;
    @Option(names = {"-U", "--force-share"}) boolean forceShare;
    @Option(names = "--image-opts") boolean imageOpts;
    @Option(names = "--target-image-opts") boolean targetImageOpts;
    @Option(names = "--target-is-zero") boolean targetIsZero;
    @Option(names = "--bitmaps") boolean bitmaps;
    @Option(names = "--skip-broken-bitmaps") boolean skipBrokenBitmaps;
    @Option(names = "--salvage") boolean salvage;

    @Parameters(arity = "0..*", paramLabel = "filename")
    List<String> files = new ArrayList<>();

    @Override
    int run() {
        long sparse = checkOptionValues();
        checkCombinations(sparse);
        String joined = options.isEmpty() ? null : String.join(",", options);
        if (joined != null && FormatOptionsHelp.asked(joined)) {
            return FormatOptionsHelp.print(targetFormat == null ? "raw" : targetFormat, out, err);
        }
        if (files.size() < 2) {
            throw new ImgError("Must specify image file name", false);
        }
        checkCacheMode(sourceCache, "source cache");
        checkCacheMode(cache, "cache");
        refuseUnimplemented();
        var target = new ConvertCommand.Target(backingFile, backingFormat, skipCreate, sparse, targetIsZero);
        var o = new ConvertCommand.Options(files.get(0), sourceFormat, files.get(1), targetFormat, compressed,
                progress && !quiet, CreateCommand.parseOptions(joined), quiet, forceShare, cache, target,
                sourceSnapshot);
        return ConvertCommand.run(o, out, err);
    }

    private ConvertCommand.SourceSnapshot sourceSnapshot;

    /** Values getopt's loop checks as it reads them; returns the -S size, -1 when not given. */
    private long checkOptionValues() {
        if (snapshot != null) {
            sourceSnapshot = sourceSnapshot(snapshot);
        }
        long sparse = -1;
        if (sparseSize != null) {
            sparse = SizeArgument.parse("buffer size for sparse output", sparseSize);
            if (sparse % 512 != 0 || sparse > MAX_SPARSE) {
                throw new ImgError("Invalid buffer size for sparse output specified. Valid sizes are multiples of 512 up"
                        + " to " + MAX_SPARSE + ". Select 0 to disable sparse detection (fully allocates output).", false);
            }
        }
        if (coroutines != null) {
            int n = parseLong(coroutines);
            if (n < 1 || n > MAX_COROUTINES) {
                throw new ImgError("Invalid number of coroutines. Allowed number of coroutines is between 1 and "
                        + MAX_COROUTINES, false);
            }
        }
        if (rateLimit != null) {
            SizeArgument.parse("rate limit", rateLimit);
        }
        return sparse;
    }

    /**
     * -l: {@code snapshot.id=ID,snapshot.name=NAME} (either or both), or an id or name alone (qemu-img's
     * internal_snapshot_opts).
     */
    private static ConvertCommand.SourceSnapshot sourceSnapshot(String param) {
        if (!param.startsWith("snapshot.")) {
            return new ConvertCommand.SourceSnapshot(null, null, param);
        }
        var opts = CreateCommand.parseOptions(param);
        for (String key : opts.keySet()) {
            if (!key.equals("snapshot.id") && !key.equals("snapshot.name")) {
                throw new ImgError("Invalid parameter '" + key + "'\nFailed in parsing snapshot param '" + param + "'",
                        false);
            }
        }
        return new ConvertCommand.SourceSnapshot(opts.get("snapshot.id"), opts.get("snapshot.name"), null);
    }

    private static int parseLong(String s) {
        try {
            return Integer.decode(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void checkCombinations(long sparse) {
        if (skipBrokenBitmaps && !bitmaps) {
            throw new ImgError("Use of --skip-broken-bitmaps requires --bitmaps", false);
        }
        if (compressed && copyRange) {
            throw new ImgError("Cannot enable copy offloading when -c is used", false);
        }
        if (sparse >= 0 && copyRange) {
            throw new ImgError("Cannot enable copy offloading when -S is used", false);
        }
        if (copyRange && salvage) {
            throw new ImgError("Cannot use copy offloading in salvaging mode", false);
        }
        if (targetImageOpts && !skipCreate) {
            throw new ImgError("--target-image-opts requires use of -n flag", false);
        }
        if (skipCreate && !options.isEmpty()) {
            throw new ImgError("-o has no effect when skipping image creation", false);
        }
        if (targetIsZero && !skipCreate) {
            throw new ImgError("--target-is-zero requires use of -n flag", false);
        }
    }

    private void refuseUnimplemented() {
        refuseImageOpts(imageOpts || targetImageOpts);
        if (files.size() > 2) {
            throw new ImgError(snapshot != null ? "No support for concatenating multiple snapshot"
                    : "concatenating several source images is not supported by jqmp img yet", false);
        }
        unsupported(compressed && skipCreate, "-c with -n (compressed writes into a target that is not empty)");
        unsupported(salvage, "--salvage");
        unsupported(bitmaps, "--bitmaps");
    }
}
