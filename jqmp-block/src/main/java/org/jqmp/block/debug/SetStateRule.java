package org.jqmp.block.debug;

import java.util.Objects;

/**
 * A {@code set-state} rule ({@code BlkdebugSetStateOptions}): when {@code event} fires while the filter is in
 * {@code state} (0: any state), the filter moves to {@code newState}. A filter starts in state 1.
 */
public record SetStateRule(DebugEvent event, long state, long newState) {
    public SetStateRule {
        Objects.requireNonNull(event, "event");
    }
}
