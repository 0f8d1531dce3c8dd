package org.jqmp.machine.guest;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The operating system's disk traffic: one {@link DiskWorkload} per disk, each a timer on the guest's virtual
 * clock that issues one request per tick. Workloads survive a reboot (they are the guest's configuration) but
 * run only while the OS is up. A failing request is reported on the console once, until one succeeds again.
 *
 * <p>Confined to the guest's thread.
 */
final class DiskActivity {
    private final VirtualClock clock;
    private final GuestDisks disks;
    private final Consumer<String> log;
    private final Map<String, DiskWorkload> workloads = new LinkedHashMap<>();
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private boolean active;

    DiskActivity(VirtualClock clock, GuestDisks disks, Consumer<String> log, List<DiskWorkload> initial) {
        this.clock = clock;
        this.disks = disks;
        this.log = log;
        initial.forEach(w -> workloads.put(w.device(), w));
    }

    /** Sets a disk's workload; running at once when the OS is up. Throws for a disk the guest does not have. */
    void set(DiskWorkload workload) {
        if (!disks.names().contains(workload.device())) {
            throw GuestDisks.noSuchDisk(workload.device());
        }
        workloads.put(workload.device(), workload);
        if (active) {
            restart(workload.device());
        }
    }

    /** The OS is up: every workload starts. */
    void start() {
        active = true;
        List.copyOf(workloads.keySet()).forEach(this::restart);
    }

    /** The OS is gone (reset, hang, panic, power-off): every workload stops. */
    void stop() {
        active = false;
        streams.values().forEach(Stream::cancel);
        streams.clear();
    }

    /** One line per disk: its workload, or idle. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (String device : disks.names()) {
            DiskWorkload w = workloads.getOrDefault(device, new DiskWorkload(device, DiskWorkload.Profile.IDLE,
                    DiskWorkload.DEFAULT_RATE, DiskWorkload.DEFAULT_SIZE));
            Stream s = streams.get(device);
            lines.add(w.describe() + (s == null ? "" : ", " + s.requests + " requests"));
        }
        return lines;
    }

    private void restart(String device) {
        Stream old = streams.remove(device);
        if (old != null) {
            old.cancel();
        }
        DiskWorkload w = workloads.get(device);
        if (w != null && w.profile() != DiskWorkload.Profile.IDLE && disks.names().contains(device)) {
            Stream s = new Stream(w);
            streams.put(device, s);
            s.next();
        }
    }

    /** A running workload. */
    private final class Stream {
        private final DiskWorkload workload;
        private final Duration period;
        private VirtualClock.Timer timer;
        private long offset;
        private long requests;
        private long writes;
        private boolean failing;

        Stream(DiskWorkload workload) {
            this.workload = workload;
            this.period = Duration.ofNanos(1_000_000_000L / workload.ratePerSecond());
        }

        void next() {
            timer = clock.schedule(period, this::tick);
        }

        void cancel() {
            if (timer != null) {
                timer.cancel();
            }
        }

        private void tick() {
            try {
                request();
                failing = false;
            } catch (GuestDiskException e) {
                if (!failing) {
                    log.accept(workload.device() + ": I/O error: " + e.getMessage());
                }
                failing = true;
            }
            requests++;
            next();
        }

        private void request() {
            long diskSize = disks.size(workload.device());
            if (diskSize < workload.size()) {
                throw new GuestDiskException("disk of " + diskSize + " bytes is smaller than a request of "
                        + workload.size());
            }
            if (offset + workload.size() > diskSize) {
                offset = 0;
            }
            boolean write = workload.profile() == DiskWorkload.Profile.WRITE
                    || workload.profile() == DiskWorkload.Profile.MIXED && requests % 2 == 1;
            if (write) {
                disks.write(workload.device(), offset, pattern(offset, workload.size()));
                if (++writes % DiskWorkload.FLUSH_EVERY == 0) {
                    disks.flush(workload.device());
                }
            } else {
                disks.read(workload.device(), offset, workload.size());
            }
            offset += workload.size();
        }
    }

    /** Each 8-byte word holds its own disk offset: a pattern a test can check. */
    static byte[] pattern(long offset, int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i += 8) {
            buffer.putLong(offset + i);
        }
        return buffer.array();
    }
}
