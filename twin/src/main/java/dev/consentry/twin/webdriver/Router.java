package dev.consentry.twin.webdriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Method + path templates ("/session/{sessionId}/element") to handlers. */
final class Router {
    @FunctionalInterface
    interface Handler {
        Object handle(Request request);
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) { }

    /** A path that matched: the handler and the path parameters. */
    record Match(Handler handler, Map<String, String> params) { }

    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)}");
    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    /**
     * @throws WebDriverException unknown command when no template matches the path, unknown method when one matches
     *                            with another HTTP method
     */
    Match route(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        boolean pathKnown = false;
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(p);
            if (m.matches()) {
                if (!r.method().equals(method)) {
                    pathKnown = true;
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), m.group(i + 1));
                }
                return new Match(r.handler(), params);
            }
        }
        throw pathKnown
                ? new WebDriverException(ErrorCode.UNKNOWN_METHOD, "The requested resource could not be found, or a "
                + "request was received using an HTTP method that is not supported by the mapped resource")
                : new WebDriverException(ErrorCode.UNKNOWN_COMMAND, "The requested resource could not be found, or a "
                + "request was received using an HTTP method that is not supported by the mapped resource");
    }

    static Optional<String> sessionIdIn(Map<String, String> params) {
        return Optional.ofNullable(params.get("sessionId"));
    }
}
