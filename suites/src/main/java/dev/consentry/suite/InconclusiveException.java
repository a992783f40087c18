package dev.consentry.suite;

/**
 * The lab could not see enough to judge (capture died, traffic it could not decrypt, no traffic at all). Not an
 * AssertionError on purpose: Allure files it as "broken", apart from real failures, and it is never a pass.
 */
public class InconclusiveException extends RuntimeException {
    public InconclusiveException(String message) {
        super(message);
    }
}
