package org.jqmp.block.img;

import java.io.PrintStream;
import java.util.Map;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.qcow2.CheckResult;
import org.jqmp.block.qcow2.Qcow2Checks;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code qemu-img check [-f fmt] [--output=human|json] [-r leaks|all] [-U] filename}. Exit codes as qemu-img:
 * 0 clean, 1 check could not complete, 2 corruptions, 3 leaks only, 63 format without checks.
 */
public final class CheckCommand {
    /** @param repair null, "leaks" or "all" */
    public record Options(String filename, String format, boolean json, String repair, boolean forceShare) {
    }

    private CheckCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        if (o.repair() != null && !o.repair().equals("leaks") && !o.repair().equals("all")) {
            return Images.fail(err, "Unknown option for -r (expecting 'leaks' or 'all'): " + o.repair());
        }
        try (BlockNode n = Images.open(o.filename(), o.format(), o.repair() == null, o.forceShare(), false)) {
            if (!(n instanceof Qcow2Image q)) {
                Images.fail(err, "This image format does not support checks");
                return 63;
            }
            CheckResult r;
            if (o.repair() != null) {
                CheckResult before = Qcow2Checks.check(q, null);
                before.messages().forEach(err::println);
                if (before.corruptions() + before.leaks() == 0) {
                    r = before;
                } else {
                    r = Qcow2Checks.check(q, o.repair());
                    r.messages().forEach(err::println);
                    if (!o.json()) {
                        out.printf("The following inconsistencies were found and repaired:%n%n    %d leaked clusters%n"
                                + "    %d corruptions%n%nDouble checking the fixed image now...%n", r.leaksFixed(),
                                r.corruptionsFixed());
                    }
                }
            } else {
                r = Qcow2Checks.check(q, null);
                r.messages().forEach(err::println);
            }
            print(r, o.json(), out);
            return r.checkErrors() > 0 ? 1 : r.corruptions() > 0 ? 2 : r.leaks() > 0 ? 3 : 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    static void print(CheckResult r, boolean json, PrintStream out) {
        if (json) {
            out.println(Json.pretty(jsonFields(r)));
            return;
        }
        if (r.corruptions() == 0 && r.leaks() == 0 && r.checkErrors() == 0) {
            out.println("No errors were found on the image.");
        } else {
            if (r.corruptions() > 0) {
                out.printf("%n%d errors were found on the image.%nData may be corrupted, or further writes to the image "
                        + "may corrupt it.%n", r.corruptions());
            }
            if (r.leaks() > 0) {
                out.printf("%n%d leaked clusters were found on the image.%nThis means waste of disk space, but no harm "
                        + "to data.%n", r.leaks());
            }
            if (r.checkErrors() > 0) {
                out.printf("%n%d internal errors have occurred during the check.%n", r.checkErrors());
            }
        }
        if (r.totalClusters() != 0 && r.allocatedClusters() != 0) {
            out.printf("%d/%d = %s%% allocated, %s%% fragmented, %s%% compressed clusters%n",
                    r.allocatedClusters(), r.totalClusters(), percent(r.allocatedClusters() * 100.0 / r.totalClusters()),
                    percent(r.fragmentedClusters() * 100.0 / r.allocatedClusters()),
                    percent(r.compressedClusters() * 100.0 / r.allocatedClusters()));
        }
        if (r.imageEndOffset() > 0) {
            out.printf("Image end offset: %d%n", r.imageEndOffset());
        }
    }

    /**
     * C's "%.2f": the double's exact binary value rounded half to even (1/160 = 0.625 prints 0.62), where Java's
     * formatter rounds half up.
     */
    static String percent(double v) {
        return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** QAPI ImageCheck in the order qemu-img 7.2 prints it; zero optional counters left out as it does. */
    static Map<String, Object> jsonFields(CheckResult r) {
        Map<String, Object> m = Json.object();
        m.put("image-end-offset", r.imageEndOffset());
        m.put("total-clusters", r.totalClusters());
        putIf(m, "corruptions", r.corruptions());
        m.put("check-errors", r.checkErrors());
        putIf(m, "leaks", r.leaks());
        putIf(m, "leaks-fixed", r.leaksFixed());
        putIf(m, "corruptions-fixed", r.corruptionsFixed());
        putIf(m, "allocated-clusters", r.allocatedClusters());
        putIf(m, "fragmented-clusters", r.fragmentedClusters());
        putIf(m, "compressed-clusters", r.compressedClusters());
        m.put("filename", r.filename());
        m.put("format", r.format());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, long v) {
        if (v != 0) {
            m.put(key, v);
        }
    }
}
