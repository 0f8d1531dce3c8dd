package org.jqmp.machine.block;

import org.jqmp.api.BlockCoreEvents;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockErrorAction;
import org.jqmp.api.IoOperationType;
import org.jqmp.block.BlockException;
import org.jqmp.block.debug.InjectedIoError;
import org.jqmp.machine.block.Drive.Outcome;
import org.jqmp.machine.block.DriveConfig.ErrorAction;
import org.jqmp.machine.block.IoAccounting.Kind;

/**
 * {@code werror}/{@code rerror} as QEMU 7.2 applies them ({@code blk_get_error_action}, {@code blk_error_action}):
 * a failed guest request is reported to the guest, ignored, or - for {@code stop}, and for {@code enospc} when
 * the disk is full - it sets the drive's I/O status, sends BLOCK_IO_ERROR, stops the machine in
 * {@code io-error} (STOP) and waits; {@code cont} resets every I/O status and the request is tried again, so no
 * write is lost. Reads use {@code rerror}; writes, flushes and discards {@code werror}.
 */
final class IoErrors implements Drive.ErrorPolicy {
    /** How the block layer stops the machine and learns that it runs again. */
    interface VmControl {
        /** Stops a running machine in {@code io-error}; false when it was not running. */
        boolean stopForIoError();

        /** Waits until the machine runs again. */
        void awaitRunning() throws InterruptedException;
    }

    private final BlockCoreEvents events;
    private volatile VmControl vm;

    IoErrors(BlockCoreEvents events) {
        this.events = events;
    }

    void attach(VmControl control) {
        this.vm = control;
    }

    @Override
    public Outcome failed(Drive drive, Node node, Kind kind, BlockException error) {
        boolean read = kind == Kind.READ;
        boolean nospace = isNoSpace(error);
        ErrorAction policy = read ? drive.config().rerror() : drive.config().werror();
        BlockErrorAction action = switch (policy) {
            case REPORT -> BlockErrorAction.REPORT;
            case IGNORE -> BlockErrorAction.IGNORE;
            case STOP -> BlockErrorAction.STOP;
            case ENOSPC -> nospace ? BlockErrorAction.STOP : BlockErrorAction.REPORT;
        };
        VmControl control = vm;
        if (action == BlockErrorAction.STOP && control == null) {
            action = BlockErrorAction.REPORT; // no machine to stop (a bare block layer in a test)
        }
        if (action == BlockErrorAction.STOP) {
            drive.setIoStatus(nospace ? BlockDeviceIoStatus.NOSPACE : BlockDeviceIoStatus.FAILED);
        }
        // send_qmp_error_event: nospace is there exactly when the drive's I/O status is (blk_iostatus_is_enabled)
        events.blockIoError(drive.name(), node.name(), read ? IoOperationType.READ : IoOperationType.WRITE, action,
                drive.ioStatusEnabled() ? Boolean.valueOf(nospace) : null, reason(error));
        return switch (action) {
            case REPORT -> Outcome.REPORT;
            case IGNORE -> Outcome.IGNORE;
            case STOP -> {
                control.stopForIoError();
                try {
                    control.awaitRunning();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    yield Outcome.REPORT;
                }
                yield Outcome.RETRY;
            }
        };
    }

    /** QEMU's {@code reason} is {@code strerror} of the error: the system's text, without our context. */
    static String reason(BlockException error) {
        String message = error.getMessage();
        return isNoSpace(error) ? "No space left on device" : message;
    }

    static boolean isNoSpace(Throwable error) {
        if (error instanceof InjectedIoError injected) {
            return injected.isNoSpace();
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
