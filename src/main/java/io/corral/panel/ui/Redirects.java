package io.corral.panel.ui;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Post/redirect/get: back to a page after a form, with the refusal to show there if there was one. */
final class Redirects {
    private Redirects() {
    }

    static Response to(String page) {
        return Response.seeOther(URI.create(page)).build();
    }

    static Response withError(String page, String message) {
        // %20, not '+': a query parameter's '+' reaches the page as a plus sign
        String encoded = URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20");
        return to(page + (page.contains("?") ? "&" : "?") + "error=" + encoded);
    }
}
