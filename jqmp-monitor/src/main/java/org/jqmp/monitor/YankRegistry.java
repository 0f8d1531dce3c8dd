package org.jqmp.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonObject;

/**
 * The instances {@code yank} can act on (QEMU's util/yank.c): socket chardevs, block nodes with network
 * connections, migration. Yanking an instance runs its registered actions, which drop its connections
 * at once without waiting for the peer. Thread-safe; read by OOB commands without the machine lock.
 */
public final class YankRegistry {

    /** QAPI YankInstance: a flat union on {@code type}. */
    public sealed interface Instance {
        JsonObject toJson();

        record Chardev(String id) implements Instance {
            @Override
            public JsonObject toJson() {
                return JsonObject.builder().put("type", "chardev").put("id", id).build();
            }
        }

        record BlockNode(String nodeName) implements Instance {
            @Override
            public JsonObject toJson() {
                return JsonObject.builder().put("type", "block-node").put("node-name", nodeName).build();
            }
        }

        record Migration() implements Instance {
            @Override
            public JsonObject toJson() {
                return JsonObject.builder().put("type", "migration").build();
            }
        }
    }

    private final Map<Instance, List<Runnable>> instances = new LinkedHashMap<>();

    public synchronized void register(Instance instance) {
        instances.putIfAbsent(instance, new ArrayList<>());
    }

    public synchronized void unregister(Instance instance) {
        instances.remove(instance);
    }

    /** Adds an action run when the instance is yanked (a chardev adds one per live connection). */
    public synchronized void addAction(Instance instance, Runnable action) {
        instances.computeIfAbsent(instance, k -> new ArrayList<>()).add(action);
    }

    public synchronized void removeAction(Instance instance, Runnable action) {
        List<Runnable> actions = instances.get(instance);
        if (actions != null) {
            actions.remove(action);
        }
    }

    public synchronized List<Instance> list() {
        return List.copyOf(instances.keySet());
    }

    /** All or nothing: every instance must exist before any is yanked. */
    public void yank(List<Instance> targets) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            for (Instance target : targets) {
                List<Runnable> registered = instances.get(target);
                if (registered == null) {
                    throw new QmpException(ErrorClass.DeviceNotFound, "Instance not found");
                }
                actions.addAll(registered);
            }
        }
        actions.forEach(Runnable::run);
    }
}
