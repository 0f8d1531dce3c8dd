package org.jqmp.block;

/** Another process (or another open in this one) holds a conflicting lock on the image file. */
public class ImageLockedException extends BlockException {
    public ImageLockedException(String image, String message) {
        super(image, message);
    }
}
