package org.jqmp.client;

import org.jqmp.json.JsonValue;

/** The result of a command and the event it was waited for with ({@link QmpClient#executeAndWait}). */
public record ReplyAndEvent(JsonValue reply, QmpEvent event) {
}
