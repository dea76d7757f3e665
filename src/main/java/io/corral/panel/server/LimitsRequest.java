package io.corral.panel.server;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;

/** Some of a server's limits; null fields stay as they are. */
public record LimitsRequest(
        @Min(16) Long memoryMiB,
        @Min(0) Long swapMiB,
        @DecimalMin("0.01") @DecimalMax("512") BigDecimal cpus,
        @Min(1) @Max(10000) Integer cpuWeight,
        @Min(8) @Max(4194304) Integer pids,
        @Min(64) Long diskMiB) {
}
