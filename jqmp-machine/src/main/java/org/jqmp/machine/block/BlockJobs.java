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
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * The machine's block jobs ({@code block-stream}, {@code block-commit}) in one id space, with QEMU 7.2's job life
 * cycle (job.c's state table): JOB_STATUS_CHANGE created and running before the reply; a job then runs on its
 * own thread, and goes waiting, pending (finalized at once with {@code auto-finalize}, else by
 * {@code job-finalize}: its graph change, then BLOCK_JOB_COMPLETED), concluded and - with {@code auto-dismiss} -
 * null. A mirror-like job (active commit) goes ready (BLOCK_JOB_READY) and waits for {@code block-job-complete}
 * or {@code block-job-cancel}. The jobs are listed by {@code query-block-jobs} and {@code query-jobs}.
 */
final class BlockJobs {
    final BlockDevices devices;
    final BlockCoreEvents blockEvents;
    private final JobEvents jobEvents;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    final List<Node> retired = new ArrayList<>();
    private final StreamJob.Starter streams = new StreamJob.Starter(this);
    private final CommitJob.Starter commits = new CommitJob.Starter(this);

    /** One job: its progress, its state, and what it does to the graph when it ends. */
    abstract static class Job {
        final String id;
        final JobType type;
        /** The node whose chain the job works on (a second job there is refused). */
        final Node root;
        final boolean autoFinalize;
        final boolean autoDismiss;
        final long speed;
        volatile JobStatus status = JobStatus.CREATED;
        volatile long len;
        volatile long offset;
        volatile boolean cancelled;
        volatile boolean completing;
        volatile String error;
        int pauseCount;

        Job(String id, JobType type, Node root, boolean autoFinalize, boolean autoDismiss, long speed) {
            this.id = id;
            this.type = type;
            this.root = root;
            this.autoFinalize = autoFinalize;
            this.autoDismiss = autoDismiss;
            this.speed = speed;
        }

        /** The job's work, on its own thread; ends by calling {@link BlockJobs#completed} or a cancel path. */
        abstract void run();

        /** The graph change of a job that succeeded (QEMU's {@code .prepare}/{@code .commit}), at finalize. */
        abstract void prepare();

        /** Undoes what the job set up, when it failed or was cancelled ({@code .abort}/{@code .clean}). */
        void abort() {
        }

        /** Whether the job stays on its device while ready (a mirror-like job). */
        boolean mirrorLike() {
            return false;
        }

        boolean ready() {
            return status == JobStatus.READY || status == JobStatus.STANDBY;
        }
    }

    BlockJobs(BlockDevices devices, BlockCoreEvents blockEvents, JobEvents jobEvents) {
        this.devices = devices;
        this.blockEvents = blockEvents;
        this.jobEvents = jobEvents;
    }

    BlockDevices devices() {
        return devices;
    }

    synchronized void stream(String jobId, String device, String baseName, String baseNode, Boolean autoFinalize,
                             Boolean autoDismiss) {
        streams.start(jobId, device, baseName, baseNode, autoFinalize, autoDismiss);
    }

    synchronized void commit(CommitJob.Arguments arguments) {
        commits.start(arguments);
    }

    // ---- life cycle (all under this object's lock)

    private void to(Job job, JobStatus next) {
        job.status = next;
        jobEvents.jobStatusChange(job.id, next);
        notifyAll();
    }

    /** {@code job_create}'s checks on the id: well formed, not taken. */
    void checkNewId(String id) {
        if (!BlockGraph.isIdentifier(id)) {
            throw QmpException.generic("Invalid job ID '" + id + "'");
        }
        if (jobs.containsKey(id)) {
            throw QmpException.generic("Job ID '" + id + "' already in use");
        }
    }

    /** A live job on {@code node}'s chain, if any (QEMU's op blockers). */
    Job jobOn(Node node) {
        for (Job j : jobs.values()) {
            if (j.root == node && j.status != JobStatus.CONCLUDED && j.status != JobStatus.NULL) {
                return j;
            }
        }
        return null;
    }

    /** Registers the job, sends created and running, and runs it on its own thread. */
    void start(Job job) {
        jobs.put(job.id, job);
        to(job, JobStatus.CREATED);
        if (job.speed < 0) {
            // block_job_create makes the job before it checks the speed, and drops it again
            to(job, JobStatus.NULL);
            jobs.remove(job.id);
            job.abort();
            throw QmpException.generic("Parameter 'speed' expects a non-negative value");
        }
        to(job, JobStatus.RUNNING);
        Thread.ofVirtual().name(job.type.wireName() + " " + job.id).start(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                completed(job, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
    }

    /** The job's work is over: waiting, pending, and (with auto-finalize) its end. */
    synchronized void completed(Job job, String error) {
        if (job.cancelled && !job.ready() && error == null) {
            cancelledNow(job);
            return;
        }
        job.error = error;
        to(job, JobStatus.WAITING);
        to(job, JobStatus.PENDING);
        if (job.autoFinalize) {
            finalizeNow(job);
        }
    }

    private void finalizeNow(Job job) {
        if (job.error == null && !job.cancelled) {
            try {
                job.prepare();
            } catch (RuntimeException e) {
                job.error = e.getMessage();
            }
        }
        if (job.error != null || job.cancelled) {
            job.abort();
        }
        blockEvents.blockJobCompleted(job.type, job.id, job.len, job.offset, job.speed, job.error);
        conclude(job);
    }

    private void cancelledNow(Job job) {
        job.abort();
        to(job, JobStatus.ABORTING);
        blockEvents.blockJobCancelled(job.type, job.id, job.len, job.offset, job.speed);
        job.error = "Operation canceled";
        conclude(job);
    }

    private void conclude(Job job) {
        to(job, JobStatus.CONCLUDED);
        if (job.autoDismiss) {
            to(job, JobStatus.NULL);
            jobs.remove(job.id);
        }
    }

    /** The mirror-like job copied everything: ready, BLOCK_JOB_READY, then it waits for complete or cancel. */
    synchronized void awaitCompletion(Job job) throws InterruptedException {
        to(job, JobStatus.READY);
        blockEvents.blockJobReady(job.type, job.id, job.len, job.offset, job.speed);
        // a paused (standby) job may be told to complete; it does so once resumed
        while (!job.cancelled && (!job.completing || job.pauseCount > 0)) {
            wait();
        }
    }

    /** Where a running job stops while paused, and notices a cancel. */
    synchronized void checkpoint(Job job) throws InterruptedException {
        while (job.pauseCount > 0 && !job.cancelled) {
            wait();
        }
    }

    // ---- the verbs (QEMU's job verb table)

    private Job find(String id, boolean blockVerb) {
        Job job = jobs.get(id);
        if (job == null) {
            throw blockVerb ? new QmpException(ErrorClass.DeviceNotActive, "Block job '" + id + "' not found")
                    : QmpException.generic("Job not found");
        }
        return job;
    }

    private static QmpException refused(Job job, String verb) {
        return QmpException.generic("Job '" + job.id + "' in state '" + job.status.wireName()
                + "' cannot accept command verb '" + verb + "'");
    }

    synchronized void cancel(String id, boolean blockVerb) throws InterruptedException {
        Job job = find(id, blockVerb);
        switch (job.status) {
            case CONCLUDED -> dismissNow(job); // job_cancel on a concluded job dismisses it
            case READY, STANDBY -> {
                job.cancelled = true;
                notifyAll();
            }
            case PENDING -> {
                job.cancelled = true;
                finalizeNow(job);
            }
            case RUNNING, PAUSED, CREATED, WAITING -> {
                job.cancelled = true;
                notifyAll();
                // QEMU's cancelled job ends before the reply
                while (jobs.get(id) == job && job.status != JobStatus.CONCLUDED) {
                    wait();
                }
            }
            default -> throw refused(job, "cancel");
        }
    }

    synchronized void complete(String id, boolean blockVerb) {
        Job job = find(id, blockVerb);
        if (!job.ready()) {
            throw refused(job, "complete");
        }
        if (job.cancelled) {
            throw QmpException.generic("The active block job '" + id + "' cannot be completed");
        }
        job.completing = true;
        notifyAll();
    }

    synchronized void pause(String id, boolean blockVerb) {
        Job job = find(id, blockVerb);
        switch (job.status) {
            case RUNNING, READY, PAUSED, STANDBY, CREATED -> {
                if (job.pauseCount++ == 0) {
                    to(job, job.ready() ? JobStatus.STANDBY : JobStatus.PAUSED);
                }
            }
            default -> throw refused(job, "pause");
        }
    }

    synchronized void resume(String id, boolean blockVerb) {
        Job job = find(id, blockVerb);
        switch (job.status) {
            case RUNNING, READY, PAUSED, STANDBY, CREATED -> {
                if (job.pauseCount == 0) {
                    throw QmpException.generic("Can't resume a job that was not paused");
                }
                if (--job.pauseCount == 0) {
                    to(job, job.status == JobStatus.STANDBY ? JobStatus.READY : JobStatus.RUNNING);
                }
            }
            default -> throw refused(job, "resume");
        }
    }

    synchronized void dismiss(String id, boolean blockVerb) {
        Job job = find(id, blockVerb);
        if (job.status != JobStatus.CONCLUDED) {
            throw refused(job, "dismiss");
        }
        dismissNow(job);
    }

    private void dismissNow(Job job) {
        to(job, JobStatus.NULL);
        jobs.remove(job.id);
    }

    synchronized void finalizeJob(String id) {
        Job job = find(id, false);
        if (job.status != JobStatus.PENDING) {
            throw refused(job, "finalize");
        }
        finalizeNow(job);
    }

    // ---- listings

    synchronized List<BlockJobInfo> blockJobs() {
        return jobs.values().stream().map(j -> new BlockJobInfo(j.type.wireName(), j.id, j.len, j.offset,
                j.status == JobStatus.RUNNING, j.pauseCount > 0, j.speed, BlockDeviceIoStatus.OK, j.ready(),
                j.status, j.autoFinalize, j.autoDismiss, j.status == JobStatus.CONCLUDED ? j.error : null)).toList();
    }

    synchronized List<JobInfo> jobs() {
        return jobs.values().stream().map(j -> new JobInfo(j.id, j.type, j.status, j.offset, j.len,
                j.status == JobStatus.CONCLUDED ? j.error : null)).toList();
    }

    // ---- shared by the jobs

    /** Whether a layer from {@code top} down to (not including) {@code base} holds data for the run. */
    static boolean layersHold(Node top, Node base, long at, long n) {
        for (Node layer = top; layer != null && layer != base; layer = layer.backing().orElse(null)) {
            if (layer.driver().status(at, n).state() != Extent.State.UNALLOCATED) {
                return true;
            }
        }
        return false;
    }

    /** Copies {@code n} bytes at {@code at} from one node to another. */
    static void copy(BlockNode from, BlockNode to, long at, int n, byte[] buffer) {
        from.read(at, buffer, 0, n);
        to.write(at, buffer, 0, n);
    }

    /** Closes a layer that left the chain when the machine closes (readers may still be on it). */
    synchronized void retireLater(Node n) {
        retired.add(n);
    }

    synchronized void close() {
        for (Node n : retired) {
            try {
                n.driver().close();
            } catch (BlockException | IllegalStateException e) {
                System.err.println("jqmp: closing " + n.filename() + ": " + e.getMessage());
            }
        }
    }
}
