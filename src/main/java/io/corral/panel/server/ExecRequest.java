package io.corral.panel.server;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * A command to run inside a server, as its argument vector, ended after timeoutSeconds (60 by
 * default, at most ten minutes: the caller waits for it, longer work belongs in the server's own
 * services).
 */
public record ExecRequest(@NotEmpty List<String> command, @Min(1) @Max(MAX_TIMEOUT_SECONDS) Integer timeoutSeconds) {
    public static final int MAX_TIMEOUT_SECONDS = 600;
}
