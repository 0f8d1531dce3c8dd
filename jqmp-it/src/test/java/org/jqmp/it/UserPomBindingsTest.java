package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonNumber;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.DocRules;
import org.jqmp.qapi.QapiCompiler;
import org.jqmp.qapi.QapiLimits;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.SchemaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise, done the way a user does it: a fresh Maven project whose POM has the jqmp-maven-plugin
 * pointed at QEMU 7.2's own schema ({@code legacyDocRules}, QEMU 7.2's doc-comment rules) builds, offline, a jar;
 * loaded in its own class loader, the jar's generated types decode every reply and event QEMU 7.2 sent in
 * {@code fixtures/qemu-7.2/devices.jsonl} (the command found by the request's {@code execute}), strictly - no
 * member unknown - and write them back to the same JSON.
 * <p>
 * The build runs {@code mvn -o}: it needs the reactor's artifacts and the plugins the reactor uses in the local
 * repository, which {@code ./jqmp test} ({@code mvn install}) puts there before this module's tests run.
 */
class UserPomBindingsTest {
    private static final String PACKAGE = "com.example.qemu";

    @TempDir
    Path project;

    @Test
    void aUsersPomBuildsBindingsForQemu72ThatDecodeItsReplies() throws Exception {
        Path shared = Processes.shared();
        Path schemaFile = shared.resolve("fixtures/qapi/qemu-7.2/qapi-schema.json");
        Path transcript = shared.resolve("fixtures/qemu-7.2/devices.jsonl");
        String version = reactorVersion();
        assumeTrue(Processes.onPath("mvn"), "mvn (Debian package maven) is not installed: test skipped");
        Path plugin = Path.of(System.getProperty("user.home"), ".m2/repository/org/jqmp/jqmp-maven-plugin", version);
        assumeTrue(Files.isDirectory(plugin), "jqmp-maven-plugin " + version + " is not in ~/.m2 (run ./jqmp test, "
                + "which runs mvn install): test skipped");

        Files.writeString(project.resolve("pom.xml"), pom(version, schemaFile.toAbsolutePath().normalize()));
        Path jar = build();
        Schema schema = new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT).compile(schemaFile);
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()},
                UserPomBindingsTest.class.getClassLoader())) {
            Bindings bindings = new Bindings(schema, loader);
            int replies = 0;
            int events = 0;
            for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
                JsonObject step = (JsonObject) QmpConnection.parse(line);
                if (!step.has("send")) {
                    continue;
                }
                String command = execute(((JsonString) step.get("send")).value());
                for (JsonValue received : ((JsonArray) step.get("recv")).elements()) {
                    JsonObject message = (JsonObject) received;
                    if (message.has("return")) {
                        replies += bindings.checkReply(command, message.get("return")) ? 1 : 0;
                    } else if (message.has("event")) {
                        events += bindings.checkEvent(message) ? 1 : 0;
                    }
                }
            }
            // query-status x5, query-block x4, query-blockstats x3, query-name, -uuid, -kvm, -mice, -chardev
            assertThat(replies).isEqualTo(17);
            // DEVICE_TRAY_MOVED x4, RESET, SHUTDOWN (STOP, RESUME, POWERDOWN carry no data)
            assertThat(events).isEqualTo(6);
        }
    }

    /** Decodes with the classes of the user's jar; reads the schema model only to know which class to use. */
    private record Bindings(Schema schema, ClassLoader loader, Map<String, String> classNames) {
        Bindings(Schema schema, ClassLoader loader) {
            this(schema, loader, JavaGenerator.classNames(schema));
        }

        /** True if the command has a return type (otherwise its reply is {} and nothing is decoded). */
        boolean checkReply(String command, JsonValue value) throws ReflectiveOperationException {
            Command c = schema.command(command).orElseThrow(() -> new AssertionError("QEMU 7.2's schema has no "
                    + command));
            if (c.returnType().isEmpty()) {
                assertThat(value).as(command + " returns nothing").isEqualTo(JsonObject.EMPTY);
                return false;
            }
            roundTrip(command, c.returnType().get().type(), value);
            return true;
        }

        boolean checkEvent(JsonObject message) throws ReflectiveOperationException {
            String name = ((JsonString) message.get("event")).value();
            Event e = schema.event(name).orElseThrow(() -> new AssertionError("QEMU 7.2's schema has no " + name));
            if (e.argType().isEmpty()) {
                return false;
            }
            roundTrip(name, e.argType().get().type(), message.get("data"));
            return true;
        }

        private void roundTrip(String what, SchemaType type, JsonValue json) throws ReflectiveOperationException {
            switch (type) {
                case ArrayType a -> {
                    for (JsonValue element : ((JsonArray) json).elements()) {
                        roundTrip(what, a.elementType().type(), element);
                    }
                }
                case BuiltinType b -> assertThat(json).as(what).isNotNull();
                default -> {
                    Class<?> generated = loader.loadClass(PACKAGE + "." + classNames.get(type.name()));
                    assertThat(generated.getClassLoader()).as("loaded from the user's jar").isSameAs(loader);
                    Object value = read(generated, json, what);
                    JsonValue back = (JsonValue) generated.getMethod("toJson", CompatPolicy.class)
                            .invoke(value, CompatPolicy.ACCEPT_ALL);
                    assertThat(normalised(back)).as(what + " written back").isEqualTo(normalised(json));
                }
            }
        }

        private static Object read(Class<?> generated, JsonValue json, String what)
                throws ReflectiveOperationException {
            try {
                return generated.getMethod("read", QObjectInput.class, String.class)
                        .invoke(null, new QObjectInput(json, CompatPolicy.ACCEPT_ALL), null);
            } catch (InvocationTargetException e) {
                throw new AssertionError(generated.getSimpleName() + " cannot read " + what + "'s " + json,
                        e.getCause());
            }
        }
    }

    /** Numbers compared by value: QEMU writes a {@code number} member that holds 0 as {@code 0}. */
    private static Object normalised(JsonValue v) {
        return switch (v) {
            case JsonObject o -> o.members().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> normalised(e.getValue())));
            case JsonArray a -> a.elements().stream().map(UserPomBindingsTest::normalised).toList();
            case JsonNumber n -> n.doubleValue();
            default -> v;
        };
    }

    private static String execute(String request) {
        JsonObject o = (JsonObject) QmpConnection.parse(request);
        return ((JsonString) o.get("execute")).value();
    }

    /** {@code mvn -B -o -q package} in the project; returns the jar. */
    private Path build() throws IOException, InterruptedException {
        Path log = project.resolve("mvn.log");
        ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-o", "-q", "package").directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        Process mvn = pb.start();
        if (!mvn.waitFor(5, TimeUnit.MINUTES)) {
            mvn.destroyForcibly().waitFor();
            throw new AssertionError("mvn package did not finish in 5 minutes: " + Files.readString(log));
        }
        assertThat(mvn.exitValue()).as("mvn package of the user's project:\n" + Files.readString(log)).isZero();
        Path jar = project.resolve("target/qemu72-bindings-1.0.jar");
        assertThat(jar).exists();
        return jar;
    }

    /** The version of the reactor this test belongs to (the root POM's). */
    private static String reactorVersion() throws IOException {
        String root = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>jqmp-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(root);
        assertThat(m.find()).as("the root POM's version").isTrue();
        return m.group(1);
    }

    /** The user's POM: the README's snippet, plus plugin versions the reactor has already fetched. */
    private static String pom(String version, Path schema) {
        List<String> plugins = new ArrayList<>();
        for (String[] p : new String[][]{{"maven-resources-plugin", "3.3.1"}, {"maven-compiler-plugin", "3.14.0"},
            {"maven-surefire-plugin", "3.5.2"}, {"maven-jar-plugin", "3.4.2"}}) {
            plugins.add("      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>" + p[0]
                    + "</artifactId><version>" + p[1] + "</version></plugin>");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>qemu72-bindings</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>25</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.jqmp</groupId>
                      <artifactId>jqmp-api</artifactId>
                      <version>VERSION</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.jqmp</groupId>
                        <artifactId>jqmp-maven-plugin</artifactId>
                        <version>VERSION</version>
                        <executions>
                          <execution>
                            <goals><goal>generate</goal></goals>
                            <configuration>
                              <schema>SCHEMA</schema>
                              <packageName>PACKAGE</packageName>
                              <legacyDocRules>true</legacyDocRules>
                            </configuration>
                          </execution>
                        </executions>
                      </plugin>
                PLUGINS
                    </plugins>
                  </build>
                </project>
                """.replace("VERSION", version).replace("SCHEMA", schema.toString()).replace("PACKAGE", PACKAGE)
                .replace("PLUGINS", String.join("\n", plugins));
    }
}
