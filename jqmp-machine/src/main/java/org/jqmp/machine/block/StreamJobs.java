package org.jqmp.machine.block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.BlockCoreEvents;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockJobInfo;
import org.jqmp.api.JobEvents;
import org.jqmp.api.JobInfo;
import org.jqmp.api.JobStatus;
import org.jqmp.api.JobType;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.BlockException;
import org.jqmp.block.Extent;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code block-stream} as a job, with QEMU 7.2's job life cycle: JOB_STATUS_CHANGE created and running before the
 * reply; then, on the job's own thread, every cluster that a layer between the top and the base holds is copied
 * into the top, the top's backing becomes the base, and the job goes waiting, pending (BLOCK_JOB_COMPLETED),
 * concluded and - with {@code auto-dismiss} - null. {@code block-job-cancel} stops it (aborting,
 * BLOCK_JOB_CANCELLED). The jobs are listed by {@code query-block-jobs} and {@code query-jobs}.
 */
final class StreamJobs {
    private final BlockDevices devices;
    private final BlockCoreEvents blockEvents;
    private final JobEvents jobEvents;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Node> retired = new ArrayList<>();

    private final class Job {
        final String id;
        final Node top;
        final Node base;
        final boolean autoDismiss;
        volatile JobStatus status = JobStatus.CREATED;
        volatile long len;
        volatile long offset;
        volatile boolean cancelled;

        Job(String id, Node top, Node base, boolean autoDismiss) {
            this.id = id;
            this.top = top;
            this.base = base;
            this.autoDismiss = autoDismiss;
        }

        void to(JobStatus next) {
            status = next;
            jobEvents.jobStatusChange(id, next);
        }
    }

    StreamJobs(BlockDevices devices, BlockCoreEvents blockEvents, JobEvents jobEvents) {
        this.devices = devices;
        this.blockEvents = blockEvents;
        this.jobEvents = jobEvents;
    }

    synchronized void stream(String jobId, String device, String baseName, String baseNode, Boolean autoDismiss) {
        Drive drive = devices.drive(device);
        Node top = drive != null ? drive.medium().orElseThrow(() -> QmpException.generic("Device '" + device
                + "' has no medium")) : devices.graph().lookup(device);
        if (top == null) {
            throw QmpException.generic("Cannot find device='" + device + "' nor node-name='" + device + "'");
        }
        String id = jobId != null ? jobId : drive != null ? device : top.name();
        if (jobs.containsKey(id)) {
            throw QmpException.generic("Job ID '" + id + "' already in use");
        }
        Node base = base(top, baseName, baseNode);
        if (!(top.driver() instanceof Qcow2Image) && top.backing().isPresent()) {
            throw QmpException.generic("Streaming into a '" + top.driverName() + "' node is not supported by jqmp");
        }
        Job job = new Job(id, top, base, autoDismiss == null || autoDismiss);
        jobs.put(id, job);
        job.to(JobStatus.CREATED);
        job.to(JobStatus.RUNNING);
        Thread.ofVirtual().name("stream " + id).start(() -> run(job));
    }

    /** The node the stream stops at: {@code base-node}, the layer named {@code base}, or none (all layers). */
    private Node base(Node top, String baseName, String baseNode) {
        if (baseName != null && baseNode != null) {
            throw QmpException.generic("'base' and 'base-node' cannot be specified at the same time");
        }
        for (Node n = top.backing().orElse(null); n != null; n = n.backing().orElse(null)) {
            if (baseNode != null && n.name().equals(baseNode) || baseName != null && n.filename().equals(baseName)) {
                return n;
            }
        }
        if (baseNode != null) {
            throw QmpException.generic(devices.graph().lookup(baseNode) == null
                    ? "Cannot find device='" + baseNode + "' nor node-name='" + baseNode + "'"
                    : "Node '" + baseNode + "' is not a backing image of '" + top.name() + "'");
        }
        if (baseName != null) {
            throw QmpException.generic("Can't find '" + baseName + "' in the backing chain");
        }
        return null;
    }

    private void run(Job job) {
        boolean layers = job.top.backing().isPresent() && job.top.backing().get() != job.base;
        job.len = layers ? job.top.driver().size() : 0;
        try {
            if (layers) {
                copy(job);
            }
        } catch (BlockException e) {
            finish(job, e.getMessage());
            return;
        }
        if (job.cancelled) {
            synchronized (this) {
                job.to(JobStatus.ABORTING);
                blockEvents.blockJobCancelled(JobType.STREAM, job.id, job.len, job.offset, 0);
                conclude(job);
            }
            return;
        }
        if (layers) {
            drop(job);
        }
        finish(job, null);
    }

    /** Copies, cluster by cluster, what a layer between the top and the base holds and the top does not. */
    private void copy(Job job) {
        Qcow2Image top = (Qcow2Image) job.top.driver();
        int chunk = top.clusterSize();
        byte[] buffer = new byte[chunk];
        for (long at = 0; at < job.len && !job.cancelled; at += chunk) {
            int n = (int) Math.min(chunk, job.len - at);
            if (top.status(at, n).state() == Extent.State.UNALLOCATED && layersHold(job, at, n)) {
                top.read(at, buffer, 0, n);
                top.write(at, buffer, 0, n);
            }
            job.offset = at + n;
        }
    }

    private static boolean layersHold(Job job, long at, int n) {
        for (Node layer = job.top.backing().orElse(null); layer != null && layer != job.base;
                layer = layer.backing().orElse(null)) {
            if (layer.driver().status(at, n).state() != Extent.State.UNALLOCATED) {
                return true;
            }
        }
        return false;
    }

    /** The top now backs onto the base: header first, then the engine; the layers in between retire. */
    private synchronized void drop(Job job) {
        Qcow2Image top = (Qcow2Image) job.top.driver();
        top.flush();
        Qcow2Edits.changeBacking(top, job.base == null ? null : job.base.filename(),
                job.base == null ? null : job.base.driverName());
        top.replaceBacking(job.base == null ? null : new Borrowed(job.base.driver()));
        for (Node n = job.top.backing().orElse(null); n != null && n != job.base; n = n.backing().orElse(null)) {
            retired.add(n);
            devices.graph().retire(n);
        }
        job.top.setBacking(job.base);
        job.top.setOwnsBacking(false); // the retired layers still hold the base open; they close at the end
    }

    private synchronized void finish(Job job, String error) {
        job.to(JobStatus.WAITING);
        job.to(JobStatus.PENDING);
        blockEvents.blockJobCompleted(JobType.STREAM, job.id, job.len, job.offset, 0, error);
        conclude(job);
    }

    private void conclude(Job job) {
        job.to(JobStatus.CONCLUDED);
        if (job.autoDismiss) {
            job.to(JobStatus.NULL);
            jobs.remove(job.id);
        }
    }

    synchronized void cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new QmpException(ErrorClass.DeviceNotActive, "Block job '" + id + "' not found");
        }
        if (job.status != JobStatus.RUNNING) {
            throw QmpException.generic("Job '" + id + "' in state '" + job.status.wireName()
                    + "' cannot accept command verb 'cancel'");
        }
        job.cancelled = true;
    }

    synchronized void dismiss(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw QmpException.generic("Job not found");
        }
        if (job.status != JobStatus.CONCLUDED) {
            throw QmpException.generic("Job '" + id + "' in state '" + job.status.wireName()
                    + "' cannot accept command verb 'dismiss'");
        }
        job.to(JobStatus.NULL);
        jobs.remove(id);
    }

    /** A verb stream jobs never accept in any state jqmp reaches (complete, pause, resume, finalize). */
    synchronized void refuse(String id, String verb) {
        Job job = jobs.get(id);
        if (job == null) {
            throw verb.equals("complete") || verb.equals("pause") || verb.equals("resume")
                    ? new QmpException(ErrorClass.DeviceNotActive, "Block job '" + id + "' not found")
                    : QmpException.generic("Job not found");
        }
        throw QmpException.generic("Job '" + id + "' in state '" + job.status.wireName()
                + "' cannot accept command verb '" + verb + "'");
    }

    synchronized List<BlockJobInfo> blockJobs() {
        return jobs.values().stream().map(j -> new BlockJobInfo("stream", j.id, j.len, j.offset,
                j.status == JobStatus.RUNNING, false, 0, BlockDeviceIoStatus.OK, false, j.status, true,
                j.autoDismiss, null)).toList();
    }

    synchronized List<JobInfo> jobs() {
        return jobs.values().stream().map(j -> new JobInfo(j.id, JobType.STREAM, j.status, j.offset, j.len, null))
                .toList();
    }

    synchronized void close() {
        for (Node n : retired) {
            try {
                n.driver().close();
            } catch (RuntimeException e) {
                System.err.println("jqmp: closing " + n.filename() + ": " + e.getMessage());
            }
        }
    }
}
