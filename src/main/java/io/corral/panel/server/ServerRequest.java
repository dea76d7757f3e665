package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer's order for a new server; limits left out take the defaults shown. */
public record ServerRequest(
        @Schema(description = "A host name in any script: ウェブ.example.jp is stored and set as xn--gckc5l.example.jp")
        @NotNull @Size(max = 253) String hostname,
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must name an installed template, e.g. busybox") String template,
        @Min(Limits.MIN_MEMORY_MIB) Long memoryMiB,
        @Min(0) @Max(Limits.MAX_SWAP_MIB) Long swapMiB,
        @DecimalMin(Limits.MIN_CPUS) @DecimalMax(Limits.MAX_CPUS) BigDecimal cpus,
        @Min(Limits.MIN_CPU_WEIGHT) @Max(Limits.MAX_CPU_WEIGHT) Integer cpuWeight,
        @Min(Limits.MIN_PIDS) @Max(Limits.MAX_PIDS) Integer pids,
        @Min(Limits.MIN_DISK_MIB) Long diskMiB) {

    public Limits limits() {
        return new LimitsRequest(memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB).on(Limits.DEFAULTS);
    }
}
