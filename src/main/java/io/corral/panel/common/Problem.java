package io.corral.panel.common;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An error answer (RFC 9457 problem details) naming the field at fault, if any. */
@Schema(description = "An error: status, a human-readable detail, and the request field at fault if any")
public record Problem(String type, String title, int status, String detail, String field) {
    public static Problem of(int status, String title, String detail, String field) {
        return new Problem("about:blank", title, status, detail, field);
    }
}
