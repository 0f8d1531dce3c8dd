package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The picocli-free reading of plain convert lines sets exactly what picocli sets, and declines everything else. */
class PlainConvertLineTest {

    @Test
    void plainLinesReadAsPicocliReadsThem() throws Exception {
        String[][] lines = {
            {"convert", "a", "b"},
            {"convert", "-f", "raw", "-O", "qcow2", "src.raw", "dst.qcow2"},
            {"convert", "src", "-O", "raw", "-p", "-q", "dst", "-n", "-W", "-U", "-C"},
            {"convert", "-c", "-O", "qcow2", "-o", "cluster_size=4k", "-o", "lazy_refcounts=on", "a", "b"},
            {"convert", "-f", "raw", "-f", "qcow2", "-t", "none", "-T", "writeback", "-S", "8k", "-m", "4", "x", "y"},
            {"convert", "-B", "base.qcow2", "-F", "qcow2", "-l", "snap1", "-r", "10M", "a", "b", "c"},
            {"convert"},
        };
        for (String[] line : lines) {
            ConvertSubcommand plain = PlainConvertLine.read(Arrays.asList(line));
            assertThat(plain).as(String.join(" ", line)).isNotNull();
            assertThat(fields(plain)).as(String.join(" ", line)).isEqualTo(fields(picocli(line)));
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        String[][] lines = {
            {"info", "a"}, {"convert", "-fraw", "a", "b"}, {"convert", "-pq", "a", "b"}, {"convert", "--", "a", "b"},
            {"convert", "--target-is-zero", "-n", "a", "b"}, {"convert", "-O", "--help", "a"}, {"convert", "-O"},
            {"convert", "@args"}, {"convert", "-h"}, {"convert", "-x", "a", "b"}, {"convert", "-", "b"},
            {"convert", "-f", "", "a", "b"}, {"convert", "--object", "x", "a", "b"}, {"convert", "-O", "@x", "a", "b"},
        };
        for (String[] line : lines) {
            assertThat(PlainConvertLine.read(Arrays.asList(line))).as(String.join(" ", line)).isNull();
        }
    }

    private static ConvertSubcommand picocli(String[] line) {
        ConvertSubcommand c = new ConvertSubcommand();
        CommandLine cli = new CommandLine(c);
        cli.setOverwrittenOptionsAllowed(true);
        cli.parseArgs(Arrays.copyOfRange(line, 1, line.length));
        return c;
    }

    /** Every field picocli may set (the subcommand's and ImgSubcommand's), by name. */
    private static Map<String, Object> fields(ConvertSubcommand c) throws IllegalAccessException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Field> all = new ArrayList<>(Arrays.asList(ConvertSubcommand.class.getDeclaredFields()));
        all.addAll(Arrays.asList(ImgSubcommand.class.getDeclaredFields()));
        for (Field f : all) {
            if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                f.setAccessible(true);
                values.put(f.getName(), f.get(c));
            }
        }
        assertThat(values).containsKeys("sourceFormat", "files", "objects", "help");
        return values;
    }
}
