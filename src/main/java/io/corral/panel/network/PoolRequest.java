package io.corral.panel.network;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A range of one family inside the network's prefix; its gateway and network and broadcast addresses are never handed out. */
public record PoolRequest(
        @Schema(description = "The range's first address, e.g. 192.0.2.10") @NotNull @Size(max = 50) String first,
        @Schema(description = "The range's last address, e.g. 192.0.2.200; the same family as first") @NotNull @Size(max = 50) String last) {
}
