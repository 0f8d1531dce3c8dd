package org.jqmp.machine;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.RunState;
import org.jqmp.json.JsonEncoder;

/** A machine whose events, run-state changes, exits and reports are recorded, in order, as text. */
final class RecordingMachine {
    final List<String> events = new ArrayList<>();
    final List<String> transitions = new ArrayList<>();
    final List<Integer> exits = new ArrayList<>();
    final List<String> reports = new ArrayList<>();
    final List<String> guestSignals = new ArrayList<>();
    final Machine machine;

    RecordingMachine(MachineConfig config) {
        machine = Machine.builder(config)
                .events((name, data, features) -> events.add(data == null ? name
                        : name + " " + JsonEncoder.encode(data, false)))
                .onExit(exits::add)
                .report(reports::add)
                .kvmPresent(false)
                .build();
        machine.addListener(new MachineListener() {
            @Override
            public void runStateChanged(RunState from, RunState to) {
                transitions.add(from.wireName() + " -> " + to.wireName());
            }

            @Override
            public void powerButtonPressed() {
                guestSignals.add("power button");
            }

            @Override
            public void reset(org.jqmp.api.ShutdownCause cause) {
                guestSignals.add("reset " + cause.wireName());
            }

            @Override
            public void wokenUp() {
                guestSignals.add("woken up");
            }

            @Override
            public void nmi() {
                guestSignals.add("nmi");
            }
        });
        machine.start();
    }

    /** Forgets what was recorded so far (the start-up). */
    RecordingMachine clear() {
        events.clear();
        transitions.clear();
        exits.clear();
        reports.clear();
        guestSignals.clear();
        return this;
    }

    RunState state() {
        return machine.runState();
    }
}
