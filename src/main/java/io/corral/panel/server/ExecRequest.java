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
 * A command to run inside a server, as its argument vector: at most 32 arguments of at most 8,192
 * characters, so even in four-byte UTF-8 it stays within what execve takes (128 KiB an argument,
 * ARG_MAX in all).
 */
public record ExecRequest(
        @NotEmpty @Size(max = 32) List<@NotNull @Size(max = 8192) @Pattern(regexp = Text.NO_NUL, message = Text.NO_NUL_RULE) String> command,
        @Min(1) @Max(3600) Integer timeoutSeconds) {
}
