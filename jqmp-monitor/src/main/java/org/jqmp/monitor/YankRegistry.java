package org.jqmp.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.YankInstance;
import org.jqmp.api.YankInstanceBlockNode;
import org.jqmp.api.YankInstanceChardev;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;

/**
 * The instances {@code yank} can act on (QEMU's util/yank.c): socket chardevs, block nodes with network
 * connections, migration. Yanking an instance runs its registered actions, which drop its connections at once
 * without waiting for the peer. Thread-safe: OOB commands read it without the machine lock.
 */
public final class YankRegistry {
    private final Map<YankInstance, List<Runnable>> instances = new LinkedHashMap<>();

    public static YankInstance chardev(String id) {
        return new YankInstance.Chardev(new YankInstanceChardev(id));
    }

    public static YankInstance blockNode(String nodeName) {
        return new YankInstance.BlockNode(new YankInstanceBlockNode(nodeName));
    }

    public synchronized void register(YankInstance instance) {
        instances.putIfAbsent(instance, new ArrayList<>());
    }

    public synchronized void unregister(YankInstance instance) {
        instances.remove(instance);
    }

    /** Adds an action run when the instance is yanked (a chardev adds one per live connection). */
    public synchronized void addAction(YankInstance instance, Runnable action) {
        instances.computeIfAbsent(instance, k -> new ArrayList<>()).add(action);
    }

    public synchronized void removeAction(YankInstance instance, Runnable action) {
        List<Runnable> actions = instances.get(instance);
        if (actions != null) {
            actions.remove(action);
        }
    }

    public synchronized List<YankInstance> list() {
        return List.copyOf(instances.keySet());
    }

    /** All or nothing: every instance must exist before any is yanked (qmp_yank). */
    public void yank(List<YankInstance> targets) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            for (YankInstance target : targets) {
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
