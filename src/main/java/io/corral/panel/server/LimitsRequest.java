package io.corral.panel.server;

import io.corral.panel.host.LimitRules;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;

/** Some of a server's limits; null fields stay as they are. */
public record LimitsRequest(
        @Min(16) Long memoryMiB,
        @Min(0) @Max(LimitRules.MAX_SWAP_MIB) Long swapMiB,
        @DecimalMin("0.01") @DecimalMax("512") BigDecimal cpus,
        @Min(1) @Max(LimitRules.MAX_CPU_WEIGHT) Integer cpuWeight,
        @Min(LimitRules.MIN_PIDS) @Max(LimitRules.MAX_PIDS) Integer pids,
        @Min(64) Long diskMiB) {
}
