package org.jqmp.machine.guest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The guest's time: it advances only while the virtual CPUs run, as QEMU's {@code QEMU_CLOCK_VIRTUAL} does
 * (the i6300esb watchdog's timer is on that clock, so a stopped VM's watchdog never fires). Timers on it are
 * re-armed on the real scheduler whenever the VM resumes.
 *
 * <p>Confined to the guest's thread: every method is called there, and timers run there.
 */
final class VirtualClock {
    private final ScheduledExecutorService executor;
    private final List<Timer> timers = new ArrayList<>();
    private long elapsedNanos;
    private long resumedAt;
    private boolean running;

    VirtualClock(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Virtual nanoseconds since the clock was made. */
    long nanos() {
        return running ? elapsedNanos + System.nanoTime() - resumedAt : elapsedNanos;
    }

    boolean running() {
        return running;
    }

    /** Runs {@code task} once {@code delay} of virtual time has passed. */
    Timer schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(nanos() + delay.toNanos(), task);
        timers.add(timer);
        if (running) {
            timer.arm();
        }
        return timer;
    }

    void resume() {
        if (!running) {
            running = true;
            resumedAt = System.nanoTime();
            List.copyOf(timers).forEach(Timer::arm);
        }
    }

    void pause() {
        if (running) {
            elapsedNanos = nanos();
            running = false;
            timers.forEach(Timer::disarm);
        }
    }

    /** A reset: every timer is forgotten. */
    void cancelAll() {
        timers.forEach(Timer::disarm);
        timers.clear();
    }

    /** One pending task at a virtual deadline. */
    final class Timer {
        private final long deadline;
        private final Runnable task;
        private ScheduledFuture<?> future;

        private Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        void cancel() {
            disarm();
            timers.remove(this);
        }

        private void arm() {
            long wait = Math.max(0, deadline - nanos());
            future = executor.schedule(this::fire, wait, TimeUnit.NANOSECONDS);
        }

        private void disarm() {
            if (future != null) {
                future.cancel(false);
                future = null;
            }
        }

        private void fire() {
            // a pause may have come in between the real timer's expiry and this task
            if (running && timers.remove(this)) {
                future = null;
                task.run();
            }
        }
    }
}
