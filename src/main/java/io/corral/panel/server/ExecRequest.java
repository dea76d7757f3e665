package io.corral.panel.server;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** A command to run inside a server, as its argument vector. */
public record ExecRequest(@NotEmpty List<String> command, @Min(1) @Max(3600) Integer timeoutSeconds) {
}
