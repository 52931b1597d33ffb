package dev.avatarfleet.api.dashboard;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test-only: the routes a set of Helidon services registers ({@code GET /tasks/{}}), read by handing each
 * service's {@code routing(HttpRules)} a recording {@link HttpRules}. {@code any(...)} registrations (the 405
 * guards) are not routes of their own and are left out.
 */
final class RouteRecorder {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace");

    private RouteRecorder() {
    }

    /** {@code METHOD /path} of every route, path parameters written {@code {}}. */
    static Set<String> routes(Iterable<HttpService> services) {
        Set<String> routes = new TreeSet<>();
        for (HttpService service : services) {
            service.routing(recorder("", routes));
        }
        return routes;
    }

    static String normalize(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
    }

    private static HttpRules recorder(String prefix, Set<String> routes) {
        Object[] self = new Object[1];
        self[0] = Proxy.newProxyInstance(RouteRecorder.class.getClassLoader(), new Class<?>[]{HttpRules.class}, (proxy, m, args) -> {
            String name = m.getName();
            if (METHODS.contains(name) && args != null && args.length > 0 && args[0] instanceof String path) {
                routes.add(normalize(name, prefix + path));
            } else if (name.equals("route") && args != null && args.length == 3 && args[0] instanceof Method method
                    && args[1] instanceof String path) {
                routes.add(normalize(method.text(), prefix + path));
            } else if (name.equals("register") && args != null) {
                String sub = args.length > 0 && args[0] instanceof String p ? prefix + p : prefix;
                for (Object a : args) {
                    if (a instanceof HttpService[] many) {
                        for (HttpService s : many) {
                            s.routing(recorder(sub, routes));
                        }
                    } else if (a instanceof HttpService s) {
                        s.routing(recorder(sub, routes));
                    }
                }
            } else if (!name.equals("any") && !(name.equals("route"))) {
                throw new UnsupportedOperationException("RouteRecorder does not know HttpRules." + name);
            }
            return self[0];
        });
        return (HttpRules) self[0];
    }
}
