package dev.consentry.twin.webdriver;

import java.util.Map;

/** A routed command: path parameters by name and the parsed JSON body (null when there was none). */
record Request(Map<String, String> params, Object body) {
    String param(String name) {
        return params.get(name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> bodyObject() {
        if (!(body instanceof Map<?, ?>)) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "the request body must be a JSON object");
        }
        return (Map<String, Object>) body;
    }

    String bodyString(String field) {
        Object v = bodyObject().get(field);
        if (!(v instanceof String s)) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "'" + field + "' must be a string, got " + v);
        }
        return s;
    }
}
