package io.corral.panel.ui;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Post/redirect/get: back to a page after a form, with the refusal to show there if there was one. */
final class Redirects {
    /** The characters of a refusal a page is sent back with. */
    private static final int ERROR_LONGEST = 300;

    private Redirects() {
    }

    static Response to(String page) {
        return Response.seeOther(URI.create(page)).build();
    }

    static Response withError(String page, String message) {
        // the address must stay within what a server reads of a request's first line (Vert.x: 4,096 bytes), and a
        // Japanese character takes nine encoded
        String shown = message.codePointCount(0, message.length()) > ERROR_LONGEST
                ? message.substring(0, message.offsetByCodePoints(0, ERROR_LONGEST)) + "…" : message;
        // %20, not '+': a query parameter's '+' reaches the page as a plus sign
        String encoded = URLEncoder.encode(shown, StandardCharsets.UTF_8).replace("+", "%20");
        return to(page + (page.contains("?") ? "&" : "?") + "error=" + encoded);
    }
}
