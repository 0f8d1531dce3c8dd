package org.jqmp.machine.block;

import org.jqmp.api.JobType;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code block-stream}: every cluster that a layer between the top and the base holds is copied into the top;
 * then the top's backing becomes the base and the layers in between leave the graph.
 */
final class StreamJob extends BlockJobs.Job {
    private final BlockJobs jobs;
    private final Node base;

    private StreamJob(BlockJobs jobs, String id, Node top, Node base, boolean autoFinalize, boolean autoDismiss) {
        super(id, JobType.STREAM, top, autoFinalize, autoDismiss, 0);
        this.jobs = jobs;
        this.base = base;
    }

    /** {@code qmp_block_stream}'s checks, in QEMU's order, then the job. */
    record Starter(BlockJobs jobs) {
        void start(String jobId, String device, String baseName, String baseNode, Boolean autoFinalize,
                   Boolean autoDismiss) {
            BlockDevices devices = jobs.devices();
            Drive drive = devices.drive(device);
            Node top = drive != null ? drive.medium().orElseThrow(() -> QmpException.generic("Device '" + device
                    + "' has no medium")) : devices.graph().lookup(device);
            if (top == null) {
                throw QmpException.generic("Cannot find device='" + device + "' nor node-name='" + device + "'");
            }
            BlockJobs.Job busy = jobs.jobOn(top);
            if (busy != null) {
                throw QmpException.generic("Node '" + device + "' is busy: block device is in use by block job: "
                        + busy.type.wireName());
            }
            String id = jobId != null ? jobId : drive != null ? device : top.name();
            jobs.checkNewId(id);
            Node base = base(top, baseName, baseNode);
            if (!(top.driver() instanceof Qcow2Image) && top.backing().isPresent()) {
                throw QmpException.generic("Streaming into a '" + top.driverName()
                        + "' node is not supported by jqmp");
            }
            jobs.start(new StreamJob(jobs, id, top, base, autoFinalize == null || autoFinalize,
                    autoDismiss == null || autoDismiss));
        }

        /** The node the stream stops at: {@code base-node}, the layer named {@code base}, or none (all layers). */
        private Node base(Node top, String baseName, String baseNode) {
            if (baseName != null && baseNode != null) {
                throw QmpException.generic("'base' and 'base-node' cannot be specified at the same time");
            }
            for (Node n = top.backing().orElse(null); n != null; n = n.backing().orElse(null)) {
                if (baseNode != null && n.name().equals(baseNode) || baseName != null
                        && n.filename().equals(baseName)) {
                    return n;
                }
            }
            if (baseNode != null) {
                throw QmpException.generic(jobs.devices().graph().lookup(baseNode) == null
                        ? "Cannot find device='" + baseNode + "' nor node-name='" + baseNode + "'"
                        : "Node '" + baseNode + "' is not a backing image of '" + top.name() + "'");
            }
            if (baseName != null) {
                throw QmpException.generic("Can't find '" + baseName + "' in the backing chain");
            }
            return null;
        }
    }

    private boolean hasLayers() {
        return root.backing().isPresent() && root.backing().get() != base;
    }

    @Override
    void run() {
        len = hasLayers() ? root.driver().size() : 0;
        if (hasLayers()) {
            copy();
        }
        jobs.completed(this, null);
    }

    /** Copies, cluster by cluster, what a layer between the top and the base holds and the top does not. */
    private void copy() {
        Qcow2Image top = (Qcow2Image) root.driver();
        int chunk = top.clusterSize();
        byte[] buffer = new byte[chunk];
        Node below = root.backing().orElseThrow();
        for (long at = 0; at < len && !cancelled; at += chunk) {
            int n = (int) Math.min(chunk, len - at);
            if (top.status(at, n).state() == org.jqmp.block.Extent.State.UNALLOCATED
                    && BlockJobs.layersHold(below, base, at, n)) {
                BlockJobs.copy(top, top, at, n, buffer);
            }
            offset = at + n;
        }
    }

    /** The top now backs onto the base: header first, then the engine; the layers in between retire. */
    @Override
    void prepare() {
        if (!hasLayers()) {
            return;
        }
        Qcow2Image top = (Qcow2Image) root.driver();
        top.flush();
        Qcow2Edits.changeBacking(top, base == null ? null : base.filename(), base == null ? null : base.driverName());
        top.replaceBacking(base == null ? null : new Borrowed(base.driver()));
        for (Node n = root.backing().orElse(null); n != null && n != base; n = n.backing().orElse(null)) {
            jobs.retireLater(n);
            jobs.devices().graph().retire(n);
        }
        root.setBacking(base);
        root.setOwnsBacking(false); // the retired layers still hold the base open; they close at the end
    }
}
