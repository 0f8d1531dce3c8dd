package org.jqmp.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object. Members keep their insertion order (which matters to QEMU's output order only within one
 * hash bucket; see {@link JsonEncoder}). Keys are unique: the decoder rejects duplicates as QEMU does.
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {
    public static final JsonObject EMPTY = new JsonObject(Map.of());

    public JsonObject {
        Objects.requireNonNull(members, "members");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public JsonValue get(String key) {
        return members.get(key);
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    public int size() {
        return members.size();
    }

    /**
     * The members in the order QEMU's QDict iterates them (hash bucket, then newest first): the order QEMU
     * writes them in, and meets them in when it walks a dict (the QMP envelope check, for one).
     */
    public List<Map.Entry<String, JsonValue>> membersInQDictOrder() {
        return List.of(org.jqmp.json.internal.QDictOrder.members(this));
    }

    @Override
    public String typeName() {
        return "object";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an object member by member, in order; the map is handed over without another copy. */
    public static final class Builder {
        private LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();

        public Builder put(String key, JsonValue value) {
            members.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, new JsonString(value));
        }

        public Builder put(String key, long value) {
            return put(key, new JsonInt(value));
        }

        public Builder put(String key, boolean value) {
            return put(key, JsonBool.of(value));
        }

        /** Puts the member only if value is not null: QAPI's optional members. */
        public Builder putIfPresent(String key, JsonValue value) {
            if (value != null) {
                put(key, value);
            }
            return this;
        }

        public boolean has(String key) {
            return members.containsKey(key);
        }

        public JsonObject build() {
            return new JsonObject(members);
        }
    }
}
