package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockLimits;

/**
 * The qcow2 header (qcow2 spec "Header"), all fields big-endian. Version 2 ends at byte 72; version 3 adds the
 * feature bitmaps, refcount_order and header_length (104, or 112 with the compression type byte and padding,
 * as QEMU 7.2 writes).
 */
record Qcow2Header(int version, long backingFileOffset, int backingFileSize, int clusterBits, long size,
                   int cryptMethod, int l1Size, long l1TableOffset, long refcountTableOffset,
                   int refcountTableClusters, int nbSnapshots, long snapshotsOffset, long incompatibleFeatures,
                   long compatibleFeatures, long autoclearFeatures, int refcountOrder, int headerLength,
                   int compressionType, List<HeaderExtension> extensions, String backingFile) {

    static final int MAGIC = 0x514649fb; // "QFI\xfb"
    // incompatible feature bits
    static final long INCOMPAT_DIRTY = 1, INCOMPAT_CORRUPT = 2, INCOMPAT_DATA_FILE = 4,
            INCOMPAT_COMPRESSION = 8, INCOMPAT_EXTL2 = 16;
    static final long INCOMPAT_KNOWN = INCOMPAT_DIRTY | INCOMPAT_CORRUPT;
    // compatible feature bits
    static final long COMPAT_LAZY_REFCOUNTS = 1;
    // autoclear bits: cleared by jqmp on writable open, since it does not maintain what they vouch for
    static final long AUTOCLEAR_BITMAPS = 1, AUTOCLEAR_RAW_DATA = 2;
    // byte offsets of fields jqmp rewrites in place
    static final int OFF_SIZE = 24, OFF_L1 = 36, OFF_REFCOUNT_TABLE = 48, OFF_INCOMPAT = 72, OFF_AUTOCLEAR = 88;
    static final int V2_LENGTH = 72, V3_LENGTH = 112;
    static final int MAX_BACKING_NAME = 1023; // QEMU's limit

    Qcow2Header {
        extensions = List.copyOf(extensions);
    }

    int clusterSize() {
        return 1 << clusterBits;
    }

    int refcountBits() {
        return 1 << refcountOrder;
    }

    boolean lazyRefcounts() {
        return (compatibleFeatures & COMPAT_LAZY_REFCOUNTS) != 0;
    }

    boolean dirty() {
        return (incompatibleFeatures & INCOMPAT_DIRTY) != 0;
    }

    boolean corrupt() {
        return (incompatibleFeatures & INCOMPAT_CORRUPT) != 0;
    }

    String backingFormat() {
        for (HeaderExtension e : extensions) {
            if (e.type() == HeaderExtension.BACKING_FORMAT) {
                return new String(e.data(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Parses and validates a header from the first cluster's bytes ({@code head}, at least 512 long). */
    static Qcow2Header parse(String image, byte[] head, long fileSize, BlockLimits limits) {
        ByteBuffer b = ByteBuffer.wrap(head);
        if (head.length < V2_LENGTH || b.getInt(0) != MAGIC) {
            throw bad(image, "Image is not in qcow2 format");
        }
        int version = b.getInt(4);
        if (version < 2 || version > 3) {
            throw bad(image, "Unsupported qcow2 version " + version);
        }
        int clusterBits = b.getInt(20);
        if (clusterBits < 9 || clusterBits > 21) {
            throw bad(image, "Unsupported cluster size: 2^" + clusterBits);
        }
        long incompat = 0, compat = 0, autoclear = 0;
        int refcountOrder = 4, headerLength = V2_LENGTH, compressionType = 0;
        if (version == 3) {
            incompat = b.getLong(72);
            compat = b.getLong(80);
            autoclear = b.getLong(88);
            refcountOrder = b.getInt(96);
            headerLength = b.getInt(100);
            if (headerLength < 104 || headerLength > (1 << clusterBits) || headerLength > head.length) {
                throw bad(image, "qcow2 header exceeds cluster size or is too short (header_length " + headerLength + ")");
            }
            if (headerLength > 104) {
                compressionType = head[104] & 0xff;
            }
        }
        if (Integer.compareUnsigned(refcountOrder, 6) > 0) { // a uint32 in QEMU: "negative" is too large too
            throw bad(image, "Reference count entry width too large; may not exceed 64 bits");
        }
        long unknown = incompat & ~(INCOMPAT_KNOWN | INCOMPAT_COMPRESSION);
        if (unknown != 0 || (incompat & INCOMPAT_COMPRESSION) != 0 && compressionType != 0) {
            throw bad(image, "Unsupported qcow2 feature(s): " + featureNames(incompat & ~INCOMPAT_KNOWN));
        }
        int crypt = b.getInt(32);
        if (crypt != 0) {
            throw bad(image, "Encrypted qcow2 images are not supported (crypt_method " + crypt + ")");
        }
        long size = b.getLong(24);
        if (size < 0 || size > limits.maxVirtualSize()) {
            throw limits.violation(image, "Virtual size", size, "maxVirtualSize", limits.maxVirtualSize());
        }
        int cs = 1 << clusterBits;
        long l1Size = b.getInt(36) & 0xffffffffL;
        if (l1Size > limits.maxL1Entries()) {
            throw limits.violation(image, "L1 table size", l1Size, "maxL1Entries", limits.maxL1Entries());
        }
        long l2Coverage = (long) cs * (cs / 8);
        if (l1Size < (size + l2Coverage - 1) / l2Coverage) {
            throw bad(image, "L1 table is too small (" + l1Size + " entries for " + size + " bytes)");
        }
        long l1Offset = b.getLong(40);
        checkTable(image, "L1 table", l1Offset, l1Size * 8, cs, fileSize, l1Size > 0);
        long rtOffset = b.getLong(48);
        long rtClusters = b.getInt(56) & 0xffffffffL;
        if (rtClusters * cs > limits.maxRefcountTableBytes()) {
            throw limits.violation(image, "Refcount table bytes", rtClusters * cs, "maxRefcountTableBytes",
                    limits.maxRefcountTableBytes());
        }
        checkTable(image, "Reference count table", rtOffset, rtClusters * cs, cs, fileSize, true);
        long nbSnapshots = b.getInt(60) & 0xffffffffL;
        if (nbSnapshots > limits.maxSnapshots()) {
            throw limits.violation(image, "Snapshot count", nbSnapshots, "maxSnapshots", limits.maxSnapshots());
        }
        long snapOffset = b.getLong(64);
        if (nbSnapshots > 0) {
            checkTable(image, "Snapshot table", snapOffset, 1, cs, fileSize, true);
        }
        long backingOffset = b.getLong(8);
        int backingSize = b.getInt(16);
        List<HeaderExtension> exts = parseExtensions(image, head, headerLength, cs, backingOffset, limits);
        String backing = null;
        if (backingOffset != 0) {
            if (backingOffset < 0 || backingSize < 0 || backingSize > MAX_BACKING_NAME
                    || backingOffset + backingSize > Math.min(cs, head.length)) {
                throw bad(image, "Backing file name too long or outside the header cluster (offset "
                        + backingOffset + ", length " + backingSize + ")");
            }
            // QEMU reads the name as a C string: a NUL ends it (and no file name can hold one)
            int length = 0;
            while (length < backingSize && head[(int) backingOffset + length] != 0) {
                length++;
            }
            backing = new String(head, (int) backingOffset, length, StandardCharsets.UTF_8);
        }
        return new Qcow2Header(version, backingOffset, backingSize, clusterBits, size, crypt, (int) l1Size, l1Offset,
                rtOffset, (int) rtClusters, (int) nbSnapshots, snapOffset, incompat, compat, autoclear, refcountOrder,
                headerLength, compressionType, exts, backing);
    }

    private static void checkTable(String image, String what, long offset, long bytes, int cs, long fileSize,
                                   boolean required) {
        if (!required) {
            return;
        }
        if (offset <= 0 || (offset & (cs - 1)) != 0) {
            throw bad(image, what + " offset invalid (" + offset + ")");
        }
        if (offset + bytes > fileSize + cs && bytes > 0) {
            throw bad(image, what + " at offset " + offset + " (" + bytes + " bytes) is past the end of the file ("
                    + fileSize + " bytes)");
        }
    }

    private static List<HeaderExtension> parseExtensions(String image, byte[] head, int start, int cs,
                                                         long backingOffset, BlockLimits limits) {
        int end = (int) Math.min(head.length, backingOffset > 0 ? Math.min(backingOffset, cs) : cs);
        List<HeaderExtension> exts = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(head);
        int at = start;
        while (at + 8 <= end) {
            int type = b.getInt(at);
            long len = b.getInt(at + 4) & 0xffffffffL;
            if (type == HeaderExtension.END) {
                break;
            }
            if (len > limits.maxHeaderExtensionBytes() || at + 8 + len > end) {
                throw bad(image, "Invalid header extension 0x" + Integer.toHexString(type) + " of " + len
                        + " bytes at offset " + at + " (past the header area or over the limit maxHeaderExtensionBytes)");
            }
            byte[] data = new byte[(int) len];
            System.arraycopy(head, at + 8, data, 0, (int) len);
            exts.add(new HeaderExtension(type, data));
            at += 8 + (int) ((len + 7) & ~7L);
        }
        return exts;
    }

    private static String featureNames(long bits) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((bits & (1L << i)) != 0) {
                names.add(switch (i) {
                    case 2 -> "External data file";
                    case 3 -> "Compression type";
                    case 4 -> "Extended L2 Entries";
                    default -> "Unknown incompatible feature: " + Long.toHexString(1L << i);
                });
            }
        }
        return String.join(", ", names);
    }

    private static BlockException bad(String image, String message) {
        return new BlockException(image, message);
    }

    /**
     * Encodes header, extensions (with a fresh feature name table for v3, as QEMU writes) and backing file name
     * into a buffer of one cluster. Returns the header with backing offset/size set to where the name went.
     */
    byte[] encode() {
        int cs = clusterSize();
        ByteBuffer b = ByteBuffer.allocate(cs);
        b.putInt(0, MAGIC).putInt(4, version);
        b.putInt(20, clusterBits).putLong(24, size).putInt(32, cryptMethod).putInt(36, l1Size).putLong(40, l1TableOffset);
        b.putLong(48, refcountTableOffset).putInt(56, refcountTableClusters).putInt(60, nbSnapshots)
                .putLong(64, snapshotsOffset);
        int at = V2_LENGTH;
        if (version == 3) {
            b.putLong(72, incompatibleFeatures).putLong(80, compatibleFeatures).putLong(88, autoclearFeatures)
                    .putInt(96, refcountOrder).putInt(100, V3_LENGTH);
            b.put(104, (byte) compressionType);
            at = V3_LENGTH;
        }
        for (HeaderExtension e : extensions) {
            if (at + e.encodedLength() + 8 > cs) {
                throw new BlockException(null, "qcow2 header extensions do not fit in one cluster");
            }
            b.putInt(at, e.type()).putInt(at + 4, e.data().length).put(at + 8, e.data());
            at += e.encodedLength();
        }
        at += 8; // end-of-extensions marker (zeroes)
        if (backingFile != null) {
            byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_BACKING_NAME || at + name.length > cs) {
                throw new BlockException(null, "Backing file name too long: " + backingFile);
            }
            b.put(at, name);
            b.putLong(8, at).putInt(16, name.length);
        }
        return b.array();
    }

    /** The extensions QEMU writes on create/update, in its order: backing format, then feature names (v3). */
    static List<HeaderExtension> standardExtensions(int version, String backingFormat, List<HeaderExtension> keep) {
        List<HeaderExtension> out = new ArrayList<>();
        if (backingFormat != null) {
            out.add(new HeaderExtension(HeaderExtension.BACKING_FORMAT, backingFormat.getBytes(StandardCharsets.UTF_8)));
        }
        if (version == 3) {
            out.add(new HeaderExtension(HeaderExtension.FEATURE_NAME_TABLE, featureNameTable()));
        }
        for (HeaderExtension e : keep) {
            if (e.type() != HeaderExtension.BACKING_FORMAT && e.type() != HeaderExtension.FEATURE_NAME_TABLE) {
                out.add(e);
            }
        }
        return out;
    }

    /** The feature name table QEMU 7.2 writes: entries of type (1), bit (1), name (46 bytes, zero padded). */
    static byte[] featureNameTable() {
        String[][] features = {
            {"0", "0", "dirty bit"}, {"0", "1", "corrupt bit"}, {"0", "2", "external data file"},
            {"0", "3", "compression type"}, {"0", "4", "extended L2 entries"}, {"1", "0", "lazy refcounts"},
            {"2", "0", "bitmaps"}, {"2", "1", "raw external data"}};
        ByteBuffer b = ByteBuffer.allocate(48 * features.length);
        for (int i = 0; i < features.length; i++) {
            b.put(i * 48, (byte) Integer.parseInt(features[i][0])).put(i * 48 + 1, (byte) Integer.parseInt(features[i][1]));
            b.put(i * 48 + 2, features[i][2].getBytes(StandardCharsets.US_ASCII));
        }
        return b.array();
    }

    Qcow2Header withIncompatible(long bits) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size,
                l1TableOffset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset, bits,
                compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType, extensions,
                backingFile);
    }

    Qcow2Header withL1(long newSize, int newL1Size, long newL1Offset) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, newSize, cryptMethod,
                newL1Size, newL1Offset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset,
                incompatibleFeatures, compatibleFeatures, autoclearFeatures, refcountOrder, headerLength,
                compressionType, extensions, backingFile);
    }

    Qcow2Header withRefcountTable(long offset, int clusters) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size,
                l1TableOffset, offset, clusters, nbSnapshots, snapshotsOffset, incompatibleFeatures,
                compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType, extensions,
                backingFile);
    }

    Qcow2Header withBacking(String file, String format) {
        List<HeaderExtension> exts = standardExtensions(version, file == null ? null : format, extensions);
        return new Qcow2Header(version, 0, 0, clusterBits, size, cryptMethod, l1Size, l1TableOffset,
                refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset, incompatibleFeatures,
                compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType, exts, file);
    }

    Qcow2Header withAutoclear(long bits) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size,
                l1TableOffset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset,
                incompatibleFeatures, compatibleFeatures, bits, refcountOrder, headerLength, compressionType,
                extensions, backingFile);
    }

    /** The fields one {@link HeaderUpdates#switchMetadata} write replaces (bytes 24 to 71, one sector). */
    Qcow2Header withMetadata(long newSize, int newL1Size, long newL1Offset, long rtOffset, int rtClusters,
                             int snapshots, long snapshotTableOffset) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, newSize, cryptMethod,
                newL1Size, newL1Offset, rtOffset, rtClusters, snapshots, snapshotTableOffset, incompatibleFeatures,
                compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType, extensions,
                backingFile);
    }
}
