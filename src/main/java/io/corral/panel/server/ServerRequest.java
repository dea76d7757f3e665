package io.corral.panel.server;

import io.corral.panel.host.LimitRules;
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
        @Min(16) Long memoryMiB,
        @Min(0) @Max(LimitRules.MAX_SWAP_MIB) Long swapMiB,
        @DecimalMin("0.01") @DecimalMax("512") BigDecimal cpus,
        @Min(1) @Max(LimitRules.MAX_CPU_WEIGHT) Integer cpuWeight,
        @Min(LimitRules.MIN_PIDS) @Max(LimitRules.MAX_PIDS) Integer pids,
        @Min(64) Long diskMiB) {

    public Limits limits() {
        return Limits.DEFAULTS.with(new LimitsRequest(memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB));
    }
}
