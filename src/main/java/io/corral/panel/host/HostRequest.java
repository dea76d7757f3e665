package io.corral.panel.host;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** Registering a host: where its agent listens and the secret it expects. */
public record HostRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name,
        @NotBlank @Pattern(regexp = "https?://[^\\s/]+(:\\d+)?/?", message = "must be http(s)://host:port of the agent") String agentUrl,
        @NotBlank @Size(min = 16, max = 200, message = "must be 16 to 200 characters")
        @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String secret,
        @DecimalMin("0.1") @DecimalMax("100") BigDecimal memoryOvercommit,
        @DecimalMin("0.1") @DecimalMax("100") BigDecimal cpuOvercommit) {
}
