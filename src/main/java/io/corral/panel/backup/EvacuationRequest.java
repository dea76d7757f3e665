package io.corral.panel.backup;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record EvacuationRequest(@NotNull @Schema(description = "The host to evacuate: down, sharing its backup store with other hosts") Long hostId) {
}
