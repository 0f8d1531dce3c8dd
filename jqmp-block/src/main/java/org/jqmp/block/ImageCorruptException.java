package org.jqmp.block;

/**
 * Metadata of a qcow2 image is inconsistent. Like QEMU, jqmp marks the image corrupt (v3 header bit) and
 * stops writing to it when this is detected while the image is open read/write.
 */
public class ImageCorruptException extends BlockException {
    public ImageCorruptException(String image, long offset, String message) {
        super(image, offset, message, null);
    }
}
