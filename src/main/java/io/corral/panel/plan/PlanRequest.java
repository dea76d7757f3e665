package io.corral.panel.plan;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** A plan as an admin writes it. */
public record PlanRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name,
        @NotNull @Min(0) Integer maxServers,
        @NotNull @Min(0) Long maxMemoryMiB,
        @NotNull @DecimalMin("0") @Digits(integer = 8, fraction = 2, message = CPUS) BigDecimal maxCpus,
        @NotNull @Min(0) Long maxDiskMiB,
        @NotNull @Min(16) Long serverMaxMemoryMiB,
        @NotNull @DecimalMin("0.01") @Digits(integer = 8, fraction = 2, message = CPUS) BigDecimal serverMaxCpus,
        @NotNull @Min(64) Long serverMaxDiskMiB,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceServerMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceMemoryGiBMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceCpuMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceDiskGiBMonth,
        @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    /** What the plan table's numeric columns hold. */
    static final String CPUS = "must have at most 8 digits before the decimal point and 2 after",
            PRICE = "must have at most 8 digits before the decimal point and 4 after";
}
