package org.jqmp.block;

/**
 * The one unchecked exception of jqmp-block. It names the image (file name as the user gave it) and, where
 * the problem is at a place in the image, the byte offset, so that a message reads like QEMU's:
 * {@code Could not open 'a.qcow2': ...}.
 */
public class BlockException extends RuntimeException {
    private final String image;
    private final long offset;

    public BlockException(String image, String message) {
        this(image, -1, message, null);
    }

    public BlockException(String image, String message, Throwable cause) {
        this(image, -1, message, cause);
    }

    public BlockException(String image, long offset, String message, Throwable cause) {
        super(message, cause);
        this.image = image;
        this.offset = offset;
    }

    /** The image (file name) the problem is in; may be null when not tied to one image. */
    public String image() {
        return image;
    }

    /** Byte offset in the image file the problem is at, or -1. */
    public long offset() {
        return offset;
    }
}
