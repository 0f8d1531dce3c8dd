package org.jqmp.api.runtime;

/** QapiErrorClass ({@code qapi/error.json}): the {@code class} of an error reply. */
public enum ErrorClass {
    GenericError, CommandNotFound, DeviceNotActive, DeviceNotFound, KVMMissingCap
}
