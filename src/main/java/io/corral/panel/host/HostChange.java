package io.corral.panel.host;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.math.BigDecimal;

/** What an admin may change on a registered host; null fields stay. */
public record HostChange(Boolean draining,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal memoryOvercommit,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal cpuOvercommit) {
}
