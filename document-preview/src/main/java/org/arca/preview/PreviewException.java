package org.arca.preview;

/** A file that cannot be previewed, with a sentence for the user saying why. */
public final class PreviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PreviewException(String message) {
        super(message);
    }
}
