package io.corral.agent.api;

/** An error response (RFC 9457 problem details), naming the request field at fault where there is one (also bench/StandInAgent's). */
public record Problem(String type, String title, int status, String detail, String field) {
    public static Problem of(int status, String title, String detail, String field) {
        return new Problem("about:blank", title, status, detail, field);
    }
}
