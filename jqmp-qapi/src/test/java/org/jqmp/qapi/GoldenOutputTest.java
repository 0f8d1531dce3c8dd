package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmp.qapi.gen.DocGenerator;
import org.jqmp.qapi.gen.GeneratedFile;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.Schema;
import org.junit.jupiter.api.Test;

/**
 * The generated Java and Markdown for {@code gen/demo.json} (every construct the generator handles) equal the
 * reviewed golden files under {@code src/test/resources/gen/golden}. After an intended change, rewrite them
 * with {@code mvn -pl jqmp-qapi test -Dtest=GoldenOutputTest -Dgolden.update=true} and review the diff.
 */
class GoldenOutputTest {
    private static final Path SCHEMA = Path.of("src/test/resources/gen/demo.json");
    private static final Path GOLDEN = Path.of("src/test/resources/gen/golden");

    @Test
    void javaMatchesGoldenFiles() throws IOException {
        Schema schema = QapiCompiler.check(SCHEMA);
        compare(GOLDEN.resolve("java"), new JavaGenerator("org.jqmp.demo", s -> true).generate(schema));
    }

    @Test
    void filesHandedOverOneByOneMatchGoldenFiles() throws IOException {
        // what `jqmp qapi gen` writes: each file as soon as it is rendered, from several threads
        Schema schema = QapiCompiler.check(SCHEMA);
        Queue<GeneratedFile> files = new ConcurrentLinkedQueue<>();
        int count = new JavaGenerator("org.jqmp.demo", s -> true).generate(schema, files::add);
        assertThat(files).hasSize(count);
        compare(GOLDEN.resolve("java"), List.copyOf(files));
    }

    @Test
    void markdownMatchesGoldenFiles() throws IOException {
        Schema schema = QapiCompiler.check(SCHEMA);
        compare(GOLDEN.resolve("docs"), new DocGenerator().generate(schema));
    }

    static void compare(Path dir, List<GeneratedFile> files) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
                }
            }
            QapiTool.write(dir, files);
        }
        Map<String, String> generated = files.stream()
                .collect(Collectors.toMap(GeneratedFile::path, GeneratedFile::content));
        assertThat(new TreeSet<>(generated.keySet())).as("generated files").isEqualTo(goldenPaths(dir));
        for (var e : generated.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(Files.readString(dir.resolve(e.getKey())));
        }
    }

    private static TreeSet<String> goldenPaths(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

}
