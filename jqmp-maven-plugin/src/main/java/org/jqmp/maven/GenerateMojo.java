package org.jqmp.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jqmp.qapi.DocRules;
import org.jqmp.qapi.QapiCompiler;
import org.jqmp.qapi.QapiError;
import org.jqmp.qapi.QapiLimits;
import org.jqmp.qapi.QapiTool;
import org.jqmp.qapi.gen.GeneratedFile;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.Schema;

/**
 * {@code jqmp:generate}: checks a QAPI schema and generates its Java bindings (types, marshallers, handler
 * interfaces, events, command table, introspection) into a directory that becomes a compile source root. The
 * generated code needs {@code org.jqmp:jqmp-api} (the runtime) at compile and run time; nothing else.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** The main schema file (the one that includes the others). */
    @Parameter(property = "jqmp.schema", required = true)
    private File schema;

    /** The Java package of every generated class. */
    @Parameter(property = "jqmp.package", defaultValue = QapiTool.DEFAULT_PACKAGE)
    private String packageName;

    /** Where the sources go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/qapi")
    private File outputDirectory;

    /** Check doc comments by QEMU 8.0's rules and earlier (QEMU 7.2's own schema needs this). */
    @Parameter(defaultValue = "false")
    private boolean legacyDocRules;

    /**
     * Configuration symbols ({@code CONFIG_*}, {@code TARGET_*}) set for the introspection data; when empty,
     * every condition is taken as true.
     */
    @Parameter
    private List<String> defines;

    /** Add the output as a test source root instead of a main one. */
    @Parameter(defaultValue = "false")
    private boolean testSources;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        QapiCompiler compiler = new QapiCompiler(legacyDocRules ? DocRules.LEGACY : DocRules.CURRENT,
                QapiLimits.DEFAULT);
        Schema checked;
        try {
            checked = compiler.compile(schema.toPath());
        } catch (QapiError e) {
            throw new MojoFailureException("QAPI schema error:\n" + e.getMessage(), e);
        }
        Predicate<String> defined = defines == null || defines.isEmpty() ? s -> true : Set.copyOf(defines)::contains;
        List<GeneratedFile> files = new JavaGenerator(packageName, defined).generate(checked);
        Path out = outputDirectory.toPath();
        try {
            QapiTool.write(out, files);
        } catch (java.io.UncheckedIOException e) {
            throw new MojoExecutionException("cannot write generated sources to " + out, e.getCause());
        }
        if (testSources) {
            project.addTestCompileSourceRoot(out.toString());
        } else {
            project.addCompileSourceRoot(out.toString());
        }
        getLog().info("jqmp: generated " + files.size() + " classes of package " + packageName + " from "
                + schema + " into " + out);
    }
}
