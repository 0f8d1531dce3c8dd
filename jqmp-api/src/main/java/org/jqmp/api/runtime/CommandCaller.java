package org.jqmp.api.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jqmp.json.JsonObject;

/**
 * The client side of a command: what the generated client facades ({@code <Module>Client}) send through.
 * jqmp-client's {@code QmpClient} implements it; a test can implement it with a lambda-backed fake.
 */
public interface CommandCaller {
    /**
     * Sends {@code command} with {@code arguments}; the future completes with the result as {@code reader}
     * reads it from a {@linkplain QObjectInput#lenient lenient} input, or with null when {@code reader} is
     * null (a command without {@code returns}).
     */
    <T> CompletableFuture<T> callAsync(String command, JsonObject arguments, Function<QObjectInput, T> reader);

    /** The same, waiting for the result (and the caller's default timeout). */
    <T> T call(String command, JsonObject arguments, Function<QObjectInput, T> reader);
}
