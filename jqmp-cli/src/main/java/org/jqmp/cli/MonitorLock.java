package org.jqmp.cli;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * The monitor's machine lock (QEMU's BQL) for a machine built before its server: the server takes the
 * machine's command table when it is built, and makes its lock only then. Every call goes to the server's lock.
 */
final class MonitorLock implements Lock {
    private final Supplier<Lock> target;

    MonitorLock(Supplier<Lock> target) {
        this.target = target;
    }

    @Override
    public void lock() {
        target.get().lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        target.get().lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
        return target.get().tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return target.get().tryLock(time, unit);
    }

    @Override
    public void unlock() {
        target.get().unlock();
    }

    @Override
    public Condition newCondition() {
        return target.get().newCondition();
    }
}
