package org.jqmp.block.qcow2;

import java.util.Arrays;

/**
 * One qcow2 header extension (spec "Header extensions"): kept byte for byte, so that extensions jqmp does not
 * interpret survive a header rewrite.
 */
record HeaderExtension(int type, byte[] data) {
    // qcow2 spec, header extension type magics
    static final int END = 0;
    static final int BACKING_FORMAT = 0xe2792aca;
    static final int FEATURE_NAME_TABLE = 0x6803f857;
    static final int BITMAPS = 0x23852875;
    static final int FULL_DISK_ENCRYPTION = 0x0537be77;
    static final int EXTERNAL_DATA_FILE = 0x44415441;

    HeaderExtension {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Bytes it takes in the header: 8 of type and length, then the data padded to 8. */
    int encodedLength() {
        return 8 + ((data.length + 7) & ~7);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderExtension h && h.type == type && Arrays.equals(h.data, data);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(data);
    }
}
