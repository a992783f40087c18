package dev.consentry.grid;

/** The Grid could not be asked, or answered something unexpected. */
public class GridException extends RuntimeException {
    public GridException(String message) {
        super(message);
    }

    public GridException(String message, Throwable cause) {
        super(message, cause);
    }
}
