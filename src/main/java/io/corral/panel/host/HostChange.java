package io.corral.panel.host;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import io.corral.panel.agent.CertificatePin;
import java.math.BigDecimal;

/**
 * What an admin may change on a registered host; null fields stay. fingerprint: a new pin, once the
 * agent's key was made anew; the agent must present that certificate.
 */
public record HostChange(Boolean draining,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal memoryOvercommit,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal cpuOvercommit,
                         @Pattern(regexp = CertificatePin.FINGERPRINT, message = CertificatePin.FINGERPRINT_RULE) String fingerprint) {
}
