package dev.consentry.twin.webdriver;

/** W3C WebDriver error codes with the HTTP status the spec assigns each. */
public enum ErrorCode {
    INVALID_ARGUMENT("invalid argument", 400),
    INVALID_SELECTOR("invalid selector", 400),
    INVALID_SESSION_ID("invalid session id", 404),
    NO_SUCH_ELEMENT("no such element", 404),
    STALE_ELEMENT_REFERENCE("stale element reference", 404),
    UNKNOWN_COMMAND("unknown command", 404),
    UNKNOWN_METHOD("unknown method", 405),
    SESSION_NOT_CREATED("session not created", 500),
    JAVASCRIPT_ERROR("javascript error", 500),
    UNSUPPORTED_OPERATION("unsupported operation", 500),
    UNKNOWN_ERROR("unknown error", 500);

    private final String wireName;
    private final int status;

    ErrorCode(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    public String wireName() {
        return wireName;
    }

    public int status() {
        return status;
    }
}
