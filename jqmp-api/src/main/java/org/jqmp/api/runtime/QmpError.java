package org.jqmp.api.runtime;

import java.util.Objects;
import org.jqmp.json.JsonObject;

/** The body of an error reply: exactly {@code class} and {@code desc} (QEMU's qmp_error_response). */
public record QmpError(ErrorClass errorClass, String desc) {
    public QmpError {
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(desc, "desc");
    }

    public static QmpError generic(String desc) {
        return new QmpError(ErrorClass.GenericError, desc);
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("class", errorClass.name()).put("desc", desc).build();
    }
}
