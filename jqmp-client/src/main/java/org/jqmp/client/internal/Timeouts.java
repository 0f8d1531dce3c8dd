package org.jqmp.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Fails futures that take too long; one daemon thread for every client in the process. */
public final class Timeouts {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Timeouts() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("jqmp-client-timeouts").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Completes {@code future} with {@code failure} after {@code timeout}, unless it completes first. */
    public static void failAfter(CompletableFuture<?> future, Duration timeout, Supplier<Throwable> failure) {
        if (future.isDone() || timeout == null || timeout.isZero() || timeout.isNegative()) {
            return;
        }
        ScheduledFuture<?> task = TIMER.schedule(() -> future.completeExceptionally(failure.get()),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((v, e) -> task.cancel(false));
    }
}
