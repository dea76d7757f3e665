package io.corral.panel.host;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.corral.panel.agent.CertificatePin;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Registering a host: where its agent listens, the secret it expects and, best, the fingerprint of its
 * certificate as `corral-agent fingerprint` prints it on the host (without one, the panel takes the
 * certificate the agent presents). publicAddress: where customers reach the host, when not at the agent
 * URL's host (an IPv4 address or a DNS name; checked by the service, which names the field).
 */
public record HostRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name,
        @NotBlank @Pattern(regexp = "https://[^\\s/]+(:\\d+)?/?", message = "{corral.host.agentUrl}")
        String agentUrl,
        @NotBlank @Size(min = 16, max = 200, message = "{corral.host.secret}")
        @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String secret,
        @Pattern(regexp = CertificatePin.FINGERPRINT, message = CertificatePin.FINGERPRINT_RULE) String fingerprint,
        @DecimalMin("0.1") @DecimalMax("100") BigDecimal memoryOvercommit,
        @DecimalMin("0.1") @DecimalMax("100") BigDecimal cpuOvercommit,
        @Schema(description = "Where customers reach the host, and so its port forwards, when not at the agent URL's host (an internal name or address): "
                + "its public IPv4 address or a DNS name (198.51.100.7, host7.example.net); absent: the agent URL's host", examples = "host7.example.net")
        String publicAddress) {
}
