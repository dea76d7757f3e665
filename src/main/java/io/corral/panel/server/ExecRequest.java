package io.corral.panel.server;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A command to run inside a server, as its argument vector (at most 4,096 arguments and, as the
 * agent counts, 65,536 bytes of UTF-8 in all: see ServerService), ended after timeoutSeconds (60 by
 * default, at most ten minutes: the caller waits for it, longer work belongs in the server's own
 * services).
 */
public record ExecRequest(
        @NotEmpty @Size(max = 4096) List<@NotNull @Pattern(regexp = Text.NO_NUL, message = Text.NO_NUL_RULE) String> command,
        @Min(1) @Max(MAX_TIMEOUT_SECONDS) Integer timeoutSeconds) {
    public static final int MAX_TIMEOUT_SECONDS = 600;
}
