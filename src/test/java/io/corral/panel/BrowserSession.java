package io.corral.panel;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does, over plain HTTP: cookies, redirects followed by hand (so a test sees each
 * one), Keycloak's real login form filled in and submitted, and the CSRF field sent with forms.
 */
final class BrowserSession {
    private static final Pattern LOGIN_FORM = Pattern.compile("<form id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    /** Cookies by host and name. java.net.CookieManager mangles Keycloak's cookies (RFC 2965 quoting), so this jar is plain. */
    private final Map<String, Map<String, String>> cookies = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String panel;
    /** The browser's Accept-Language; null sends none. */
    private String languages;

    BrowserSession(String panel) {
        this.panel = panel.endsWith("/") ? panel.substring(0, panel.length() - 1) : panel;
    }

    /** From now on asks for pages in these languages, as a browser set to them does (an Accept-Language value). */
    BrowserSession speaking(String acceptLanguage) {
        languages = acceptLanguage;
        return this;
    }

    /** A cookie the page's script would set, such as the time zone's (tz). */
    BrowserSession cookie(String name, String value) {
        cookies.computeIfAbsent(URI.create(panel).getHost(), h -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** Opens a page of the panel; when sent to Keycloak, signs in there and follows the way back. */
    HttpResponse<String> signIn(String path, String user, String password) {
        HttpResponse<String> login = follow(get(panel + path));
        Matcher form = LOGIN_FORM.matcher(login.body());
        if (!form.find()) {
            throw new AssertionError("expected Keycloak's login form at " + login.uri() + ", got:\n" + login.body());
        }
        return follow(post(form.group(1).replace("&amp;", "&"), Map.of("username", user, "password", password)));
    }

    /** A GET and the redirects after it. */
    HttpResponse<String> open(String path) {
        return follow(get(path.startsWith("http") ? path : panel + path));
    }

    /**
     * Submits a form of the page the way the browser does: with the page's CSRF field, and the page as the Referer.
     * Redirects are not followed.
     */
    HttpResponse<String> submit(String pagePath, String action, Map<String, String> fields) {
        Matcher token = CSRF_FIELD.matcher(open(pagePath).body());
        if (!token.find()) {
            throw new AssertionError("the page " + pagePath + " has no CSRF field");
        }
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("csrf-token", token.group(1));
        return send(form(panel + action, withToken).header("Referer", panel + pagePath));
    }

    /** A form post without the CSRF field, as a forged cross-site request would be. */
    HttpResponse<String> postWithoutCsrf(String action, Map<String, String> fields) {
        return post(panel + action, fields);
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> post(String url, Map<String, String> fields) {
        return send(form(url, fields));
    }

    private static HttpRequest.Builder form(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Follows 302/303 redirects as GETs, up to ten of them. */
    HttpResponse<String> follow(HttpResponse<String> response) {
        for (int i = 0; i < 10 && (response.statusCode() == 302 || response.statusCode() == 303 || response.statusCode() == 307); i++) {
            response = get(response.uri().resolve(response.headers().firstValue("Location").orElseThrow()).toString());
            }
        return response;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            if (languages != null) {
                request.header("Accept-Language", languages);
            }
            String host = request.build().uri().getHost();
            Map<String, String> jar = cookies.computeIfAbsent(host, h -> new LinkedHashMap<>());
            if (!jar.isEmpty()) {
                request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String[] parts = set.split(";");
                int eq = parts[0].indexOf('=');
                String name = parts[0].substring(0, eq).trim(), value = parts[0].substring(eq + 1).trim();
                boolean expired = java.util.Arrays.stream(parts).map(String::trim).anyMatch(a -> a.equalsIgnoreCase("Max-Age=0"))
                        || value.isEmpty();
                if (expired) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
