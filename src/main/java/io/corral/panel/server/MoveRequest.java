package io.corral.panel.server;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where to move a server: the receiving host. */
public record MoveRequest(@NotNull @Schema(description = "The host to move the server to: up, not draining, with room for it") Long hostId) {
}
