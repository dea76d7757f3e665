package io.corral.panel.plan;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** A plan as an admin writes it. */
public record PlanRequest(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Min(0) Integer maxServers,
        @NotNull @Min(0) Long maxMemoryMiB,
        @NotNull @DecimalMin("0") BigDecimal maxCpus,
        @NotNull @Min(0) Long maxDiskMiB,
        @NotNull @Min(16) Long serverMaxMemoryMiB,
        @NotNull @DecimalMin("0.01") BigDecimal serverMaxCpus,
        @NotNull @Min(64) Long serverMaxDiskMiB,
        @DecimalMin("0") BigDecimal priceServerMonth,
        @DecimalMin("0") BigDecimal priceMemoryGiBMonth,
        @DecimalMin("0") BigDecimal priceCpuMonth,
        @DecimalMin("0") BigDecimal priceDiskGiBMonth,
        @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
}
