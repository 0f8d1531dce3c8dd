package org.jqmp.qapi;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.qapi.gen.DocGenerator;
import org.jqmp.qapi.gen.GeneratedFile;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.Schema;

/**
 * {@code jqmp qapi}: the compiler's command line, kept free of any CLI library so that {@code jqmp-cli} (and
 * tests) call {@link #run} with the arguments after {@code qapi} and the streams to print to.
 * <pre>
 * jqmp qapi check [--legacy-docs] FILE.json
 * jqmp qapi gen -o DIR [--package P] [--legacy-docs] FILE.json
 * jqmp qapi doc -o DIR [--legacy-docs] FILE.json
 * </pre>
 * Exit codes: 0 success, 1 the schema has an error (QEMU's message on err) or output could not be written,
 * 2 usage.
 */
public final class QapiTool {
    public static final String DEFAULT_PACKAGE = "org.jqmp.qapi.generated";
    private static final String USAGE = """
            usage: jqmp qapi check [--legacy-docs] FILE.json
                   jqmp qapi gen -o DIR [--package P] [--legacy-docs] FILE.json
                   jqmp qapi doc -o DIR [--legacy-docs] FILE.json
              --legacy-docs  check doc comments by QEMU 8.0's rules and earlier (needed for QEMU 7.2's schema)
              --package P    the Java package of generated code (default %s)""".formatted(DEFAULT_PACKAGE);

    private QapiTool() {
    }

    /** Parsed arguments. */
    private record Options(String verb, Path schema, Path outDir, String packageName, DocRules docRules) {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jqmp qapi: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        QapiCompiler compiler = new QapiCompiler(options.docRules(), QapiLimits.DEFAULT);
        if (options.verb().equals("check")) {
            return compiler.checkCommand(options.schema(), err);
        }
        try {
            Schema schema = compiler.compile(options.schema());
            int count;
            if (options.verb().equals("gen")) {
                count = generate(new JavaGenerator(options.packageName(), symbol -> true), schema, options.outDir());
            } else {
                List<GeneratedFile> files = new DocGenerator().generate(schema);
                write(options.outDir(), files);
                count = files.size();
            }
            out.println("jqmp qapi: wrote " + count + " files to " + options.outDir());
            return 0;
        } catch (QapiError e) {
            err.println(e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("jqmp qapi: cannot write " + options.outDir() + ": " + e.getCause().getMessage());
            return 1;
        }
    }

    /** Writes each Java file under {@code dir} as soon as it is rendered (all go into one package directory). */
    private static int generate(JavaGenerator generator, Schema schema, Path dir) {
        try {
            Files.createDirectories(dir.resolve(generator.directory()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return generator.generate(schema, f -> writeFile(dir, f));
    }

    private static void writeFile(Path dir, GeneratedFile f) {
        try {
            Files.writeString(dir.resolve(f.path()), f.content());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes each file under {@code dir}, creating directories. */
    public static void write(Path dir, List<GeneratedFile> files) {
        try {
            for (Path parent : files.stream().map(f -> dir.resolve(f.path()).getParent()).distinct().toList()) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.parallelStream().forEach(f -> writeFile(dir, f));
    }

    private static Options parse(List<String> args) {
        if (args.isEmpty() || !List.of("check", "gen", "doc").contains(args.getFirst())) {
            throw new IllegalArgumentException(args.isEmpty() ? "missing command"
                    : "unknown command '" + args.getFirst() + "'");
        }
        String verb = args.getFirst();
        Path outDir = null;
        String pkg = DEFAULT_PACKAGE;
        DocRules rules = DocRules.CURRENT;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-o", "--output" -> outDir = Path.of(value(args, ++i, a));
                case "--package", "-p" -> pkg = value(args, ++i, a);
                case "--legacy-docs" -> rules = DocRules.LEGACY;
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                    }
                    files.add(a);
                }
            }
        }
        if (files.size() != 1) {
            throw new IllegalArgumentException("expected one schema file, got " + files.size());
        }
        if (!verb.equals("check") && outDir == null) {
            throw new IllegalArgumentException(verb + " needs -o DIR");
        }
        if (!pkg.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new IllegalArgumentException("'" + pkg + "' is not a Java package name");
        }
        return new Options(verb, Path.of(files.getFirst()), outDir, pkg, rules);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** {@code java -cp ... org.jqmp.qapi.QapiTool gen ...}: for builds without the CLI. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }
}
