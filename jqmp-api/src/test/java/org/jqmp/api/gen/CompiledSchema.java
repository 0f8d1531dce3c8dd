package org.jqmp.api.gen;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.QapiTool;
import org.jqmp.qapi.gen.GeneratedFile;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.Schema;

/**
 * Java generated from a schema, compiled in-test with javax.tools against jqmp-api's runtime and loaded, with
 * handler implementations that record every call and answer with canned JSON read through the generated types.
 */
final class CompiledSchema {
    final String packageName;
    final ClassLoader loader;
    /** Calls that reached a handler, by command method name. */
    final List<String> calls = new ArrayList<>();
    /** Canned results (as JSON) by handler method name. */
    final Map<String, JsonValue> results = new HashMap<>();
    /** The arguments of the last call, as the handler saw them. */
    Object[] lastArguments;

    private CompiledSchema(String packageName, ClassLoader loader) {
        this.packageName = packageName;
        this.loader = loader;
    }

    static CompiledSchema compile(Schema schema, String packageName, Path workDir) throws IOException {
        List<GeneratedFile> files = new JavaGenerator(packageName, s -> true).generate(schema);
        Path src = workDir.resolve("src");
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        QapiTool.write(src, files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-Xlint:all", "-Werror",
                "-cp", location(QObjectInput.class) + java.io.File.pathSeparator + location(JsonValue.class)));
        files.forEach(f -> args.add(src.resolve(f.path()).toString()));
        java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, args.toArray(String[]::new));
        if (rc != 0) {
            throw new AssertionError("generated code does not compile: " + diagnostics);
        }
        URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                CompiledSchema.class.getClassLoader());
        return new CompiledSchema(packageName, loader);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Class<?> type(String simpleName) {
        try {
            return loader.loadClass(packageName + "." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** QmpCommandTable.build(...) with a recording proxy for every handler interface. */
    CommandTable table() throws ReflectiveOperationException {
        Method build = java.util.Arrays.stream(type("QmpCommandTable").getMethods())
                .filter(m -> m.getName().equals("build")).findFirst().orElseThrow();
        Object[] handlers = java.util.Arrays.stream(build.getParameterTypes()).map(this::handler).toArray();
        return (CommandTable) build.invoke(null, handlers);
    }

    private Object handler(Class<?> iface) {
        return Proxy.newProxyInstance(loader, new Class<?>[]{iface}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording " + iface.getSimpleName() : null;
            }
            calls.add(method.getName());
            lastArguments = args;
            return method.getReturnType() == void.class ? null : canned(method);
        });
    }

    private Object canned(Method method) throws ReflectiveOperationException {
        JsonValue json = results.get(method.getName());
        if (json == null) {
            throw new AssertionError("no canned result for " + method.getName());
        }
        return fromJson(method.getGenericReturnType(), json);
    }

    /** Reads a value of the generated type through its own generated reader. */
    Object fromJson(java.lang.reflect.Type type, JsonValue json) throws ReflectiveOperationException {
        if (type == long.class) {
            return ((org.jqmp.json.JsonInt) json).value();
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            List<Object> out = new ArrayList<>();
            for (JsonValue v : ((JsonArray) json).elements()) {
                out.add(fromJson(p.getActualTypeArguments()[0], v));
            }
            return out;
        }
        Class<?> c = (Class<?>) type;
        return c.getMethod("read", QObjectInput.class, String.class)
                .invoke(null, new QObjectInput(json, CompatPolicy.ACCEPT_ALL), null);
    }
}
