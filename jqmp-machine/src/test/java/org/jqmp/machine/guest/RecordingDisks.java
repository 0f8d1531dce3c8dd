package org.jqmp.machine.guest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Disks in memory that record every request as text ({@code read disk0 0 512}); a disk named {@code broken}
 * fails every request, as a drive whose image has gone would.
 */
final class RecordingDisks implements GuestDisks {
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, byte[]> contents = new LinkedHashMap<>();

    RecordingDisks with(String device, byte[] content) {
        contents.put(device, content);
        return this;
    }

    byte[] content(String device) {
        synchronized (requests) {
            return contents.get(device).clone();
        }
    }

    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public List<String> names() {
        return List.copyOf(contents.keySet());
    }

    /** Devices named {@code cd...} are CD-ROMs. */
    @Override
    public boolean cdrom(String device) {
        return device.startsWith("cd");
    }

    @Override
    public long size(String device) {
        return disk(device).length;
    }

    @Override
    public byte[] read(String device, long offset, int length) {
        requests.add("read " + device + " " + offset + " " + length);
        return Arrays.copyOfRange(disk(device), (int) offset, (int) offset + length);
    }

    @Override
    public void write(String device, long offset, byte[] data) {
        synchronized (requests) {
            requests.add("write " + device + " " + offset + " " + data.length);
            System.arraycopy(data, 0, disk(device), (int) offset, data.length);
        }
    }

    @Override
    public void flush(String device) {
        disk(device);
        requests.add("flush " + device);
    }

    @Override
    public void lockTray(String device, boolean locked) {
        disk(device);
        requests.add((locked ? "lock " : "unlock ") + device);
    }

    private byte[] disk(String device) {
        if (device.equals("broken")) {
            throw new GuestDiskException("Input/output error");
        }
        byte[] disk = contents.get(device);
        if (disk == null) {
            throw GuestDisks.noSuchDisk(device);
        }
        return disk;
    }
}
