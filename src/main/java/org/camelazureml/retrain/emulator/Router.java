package org.camelazureml.retrain.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Maps method + path to an operation and its handler; path templates use {name} segments. */
final class Router {

    interface Handler {
        CompletableFuture<ApiResponse> handle(ApiRequest request);

        static Handler sync(Function<ApiRequest, ApiResponse> handler) {
            return request -> CompletableFuture.completedFuture(handler.apply(request));
        }
    }

    record Route(String method, List<String> template, Operation operation, Handler handler) {
    }

    record Match(Route route, Map<String, String> params) {

        /** The scoring endpoint an endpoint call's path names (its {endpoint} segment); null for other calls. */
        String endpoint() {
            return route.operation().isOnEndpoint() ? params.get("endpoint") : null;
        }
    }

    private final String workspace;
    private final List<Route> routes = new ArrayList<>();

    Router(String workspace) {
        this.workspace = workspace;
    }

    Router add(String method, String template, Operation operation, Handler handler) {
        routes.add(new Route(method, segments(template), operation, handler));
        return this;
    }

    /** The route for this request; 404 for an unknown path or workspace, 405 for a known path with another method. */
    Match match(String method, String path) {
        List<String> segments = segments(path);
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = bind(route.template(), segments);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                if (!workspace.equals(params.get("workspace"))) {
                    throw ApiError.notFound("Workspace '" + params.get("workspace") + "' was not found.");
                }
                return new Match(route, params);
            }
        }
        throw pathKnown ? ApiError.methodNotAllowed(method) : ApiError.notFound("No API at " + path + ".");
    }

    private static Map<String, String> bind(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            if (expected.startsWith("{")) {
                params.put(expected.substring(1, expected.length() - 1), segments.get(i));
            } else if (!expected.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }

    private static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    }
}
