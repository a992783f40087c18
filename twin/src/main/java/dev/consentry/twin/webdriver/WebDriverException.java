package dev.consentry.twin.webdriver;

/** A command failure that goes back to the client as a W3C error body. */
public final class WebDriverException extends RuntimeException {
    private final ErrorCode code;

    public WebDriverException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
