package org.jqmp.qapi.gen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Schema;

/**
 * How QAPI names become Java names. Type names keep their CamelCase (a name that is also a {@code java.lang}
 * class, such as QEMU's struct {@code String}, gets the prefix {@code Qapi}, since a same-package class would
 * shadow the implicit import); the implicit argument types are {@code <Command>Arguments} and
 * {@code <Event>Data}; members, commands and events become lowerCamelCase, enum values UPPER_SNAKE. Java
 * keywords and names of {@code Object}'s methods get a trailing underscore. Two QAPI names that map to one
 * Java name get underscores appended until unique, so generation never fails on a name.
 */
final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize", "equals");
    private static final Set<String> JAVA_LANG = Set.of("String", "Object", "Record", "Enum", "Override",
            "Deprecated", "Boolean", "Long", "Double", "Integer", "Number", "Math", "System", "Iterable", "Class",
            "Error", "Exception", "Runtime", "Thread", "Void", "Character", "Byte", "Short", "Float", "Process",
            "Module", "Package", "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "Comparable", "Runnable",
            "Cloneable", "AutoCloseable", "CharSequence", "StringBuilder", "Throwable", "ClassLoader",
            "StackTraceElement", "ThreadLocal", "StrictMath", "ProcessBuilder", "ScopedValue", "StringBuffer",
            "Appendable", "Readable", "IO", "Compiler", "SecurityManager", "ModuleLayer", "StackWalker");

    private final Map<String, String> typeNames = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    JavaNames(Schema schema) {
        for (Definition d : schema.definitions()) {
            if (d instanceof Command || d instanceof Event) {
                continue;
            }
            if (!d.isImplicit() || d.name().startsWith("q_obj_") || d.name().equals("QType")) {
                typeNames.put(d.name(), unique(typeName(schema, d.name())));
            }
        }
    }

    /** The simple class name of a named or implicit object/enum/alternate type. */
    String type(String qapiName) {
        String name = typeNames.get(qapiName);
        if (name == null) {
            throw new IllegalStateException("no Java type for " + qapiName);
        }
        return name;
    }

    /** Reserves a name for a generated class (handler interface, marshallers, events), unique among types. */
    String reserve(String wanted) {
        return unique(wanted);
    }

    private String unique(String wanted) {
        String name = wanted;
        while (!taken.add(name)) {
            name = name + "_";
        }
        return name;
    }

    private static String typeName(Schema schema, String qapiName) {
        if (qapiName.startsWith("q_obj_") && qapiName.endsWith("-arg")) {
            String owner = qapiName.substring("q_obj_".length(), qapiName.length() - "-arg".length());
            return upperCamel(owner) + (schema.event(owner).isPresent() ? "Data" : "Arguments");
        }
        if (qapiName.startsWith("q_obj_") && qapiName.endsWith("-base")) {
            return upperCamel(qapiName.substring("q_obj_".length(), qapiName.length() - "-base".length())) + "Base";
        }
        String name = isAlphanumeric(qapiName)
                ? Character.toUpperCase(qapiName.charAt(0)) + qapiName.substring(1) : upperCamel(qapiName);
        return JAVA_LANG.contains(name) ? "Qapi" + name : name;
    }

    /** An ASCII letter, then ASCII letters and digits (no regex: called for every type of a schema). */
    private static boolean isAlphanumeric(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiLetter(c) && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** {@code block-core} -> {@code BlockCore}, {@code BLOCK_JOB_READY} -> {@code BlockJobReady}. */
    static String upperCamel(String qapiName) {
        StringBuilder sb = new StringBuilder(qapiName.length());
        String name = qapiName.equals(qapiName.toUpperCase(Locale.ROOT)) ? qapiName.toLowerCase(Locale.ROOT)
                : qapiName;
        // each part between the separators - _ . + with its first character in upper case
        boolean partStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '-' || c == '_' || c == '.' || c == '+') {
                partStart = true;
            } else {
                sb.append(partStart ? Character.toUpperCase(c) : c);
                partStart = false;
            }
        }
        String s = sb.toString();
        return s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0)) ? "_" + s : s;
    }

    /** Members, commands, events, parameters: {@code node-name} -> {@code nodeName}. */
    static String lowerCamel(String qapiName) {
        String upper = upperCamel(qapiName);
        if (upper.startsWith("_")) {
            return escape(upper);
        }
        String s = Character.toLowerCase(upper.charAt(0)) + upper.substring(1);
        return escape(s);
    }

    /** Enum constants: {@code host-qmp-quit} -> {@code HOST_QMP_QUIT}, {@code 9p} -> {@code _9P}. */
    static String constant(String wireName) {
        String upper = wireName.toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(upper.length());
        upper.codePoints().forEach(c -> sb.append(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                ? (char) c : '_'));
        String s = sb.toString();
        return s.isEmpty() || Character.isDigit(s.charAt(0)) || s.equals("_") ? "_" + s : s;
    }

    static String escape(String identifier) {
        return KEYWORDS.contains(identifier) ? identifier + "_" : identifier;
    }

    /** A schema module's file name to a class-name stem: {@code block-core.json} -> {@code BlockCore}. */
    static String moduleStem(String module) {
        String base = module.substring(module.lastIndexOf('/') + 1);
        if (base.endsWith(".json")) {
            base = base.substring(0, base.length() - ".json".length());
        }
        return upperCamel(base);
    }
}
