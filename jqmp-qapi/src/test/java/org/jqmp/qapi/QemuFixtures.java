package org.jqmp.qapi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where QEMU's own schemas and transcripts are: {@code shared/fixtures} beside the repository (tests run in
 * the module directory, so two levels up). They are read in place, never copied into the project.
 */
final class QemuFixtures {
    static final Path ROOT = Path.of("../../shared/fixtures");

    private QemuFixtures() {
    }

    /** The path, or the test is skipped with a message naming what is missing. */
    static Path require(String relative) {
        Path p = ROOT.resolve(relative);
        assumeTrue(Files.exists(p), "QEMU fixture " + p.toAbsolutePath().normalize()
                + " is absent (shared/fixtures is not beside the repository); skipping");
        return p;
    }
}
