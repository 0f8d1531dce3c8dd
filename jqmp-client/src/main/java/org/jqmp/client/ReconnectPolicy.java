package org.jqmp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What to do when the connection drops: try again after {@code initialDelay}, growing by {@code multiplier}
 * up to {@code maxDelay}, at most {@code maxAttempts} times in a row (0: never reconnect). Each new
 * connection is greeted and negotiated again; subscriptions carry over.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, int maxAttempts) {
    public static final ReconnectPolicy NEVER = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1, 0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (multiplier < 1 || maxAttempts < 0 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("bad reconnect policy: " + initialDelay + ".." + maxDelay + " x"
                    + multiplier + ", " + maxAttempts + " attempts");
        }
    }

    /** Exponential backoff from {@code initialDelay} doubling to {@code maxDelay}, without end. */
    public static ReconnectPolicy backoff(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, 2, Integer.MAX_VALUE);
    }

    public boolean enabled() {
        return maxAttempts > 0;
    }

    /** The wait before attempt {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }
}
