package io.corral.panel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The panel's browser pages, found from the classes the API document leaves out
 * (mp.openapi.scan.exclude.classes): each GET and POST with its path, a path such as
 * servers/{id}/{action:start|stop} taken once per action, the roles it admits and its form's fields.
 */
final class Pages {
    /** A page; its path keeps {id}-like parameters, to be filled with the ids of objects. */
    record Page(String method, String path, List<String> roles, List<String> formFields) {
        boolean admits(String role) {
            return roles.contains(role);
        }

        /** Whether requesting it ends an object for good, so a proof of it needs an object of its own. */
        boolean destroys() {
            return path.endsWith("/destroy") || path.endsWith("/delete") || path.endsWith("/revoke");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Pattern CHOICE = Pattern.compile("\\{(\\w+):([\\w|]+)}");

    private Pages() {
    }

    /** Every page, GETs first and those that destroy last, in the same order every run. */
    static List<Page> all() {
        String classes = ConfigProvider.getConfig().getValue("mp.openapi.scan.exclude.classes", String.class);
        List<Page> pages = new ArrayList<>();
        for (String name : classes.split(",")) {
            Class<?> type;
            try {
                type = Class.forName(name.trim());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("mp.openapi.scan.exclude.classes names " + name + ", which does not exist", e);
            }
            for (Method m : type.getDeclaredMethods()) {
                String method = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST" : null;
                if (method == null) {
                    continue;
                }
                String path = join(type.getAnnotation(Path.class).value(),
                        m.isAnnotationPresent(Path.class) ? m.getAnnotation(Path.class).value() : "");
                RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                        : type.getAnnotation(RolesAllowed.class);
                List<String> fields = Arrays.stream(m.getParameters()).filter(p -> p.isAnnotationPresent(FormParam.class))
                        .map((Parameter p) -> p.getAnnotation(FormParam.class).value()).toList();
                for (String each : choices(path)) {
                    pages.add(new Page(method, each, roles == null ? List.of() : List.of(roles.value()), fields));
                }
            }
        }
        pages.sort(Comparator.comparing(Page::destroys).thenComparing(Page::method, Comparator.comparing(m -> m.equals("POST")))
                .thenComparing(Page::path));
        return pages;
    }

    /** The path once for each alternative of its first {name:a|b} parameter (and so on for the others). */
    private static List<String> choices(String path) {
        Matcher choice = CHOICE.matcher(path);
        if (!choice.find()) {
            return List.of(path);
        }
        List<String> all = new ArrayList<>();
        for (String alternative : choice.group(2).split("\\|")) {
            all.addAll(choices(path.substring(0, choice.start()) + alternative + path.substring(choice.end())));
        }
        return all;
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
