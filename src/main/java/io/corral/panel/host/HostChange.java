package io.corral.panel.host;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import io.corral.panel.agent.CertificatePin;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an admin may change on a registered host; null fields stay. fingerprint: a new pin, once the
 * agent's key was made anew; the agent must present that certificate. publicAddress: where customers
 * reach the host (an IPv4 address or a DNS name); empty removes it, so the agent URL's host shows again. backupStore: the
 * name of the backup store its agent shares with other hosts (empty: its own).
 */
public record HostChange(Boolean draining,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal memoryOvercommit,
                         @DecimalMin("0.1") @DecimalMax("100") BigDecimal cpuOvercommit,
                         @Pattern(regexp = CertificatePin.FINGERPRINT, message = CertificatePin.FINGERPRINT_RULE) String fingerprint,
                         @Schema(description = "Where customers reach the host, and so its port forwards, when not at the agent URL's host (an internal name or address): "
                + "its public IPv4 address or a DNS name (198.51.100.7, host7.example.net); empty removes it (the agent URL's host shows again), absent keeps it",
                                 examples = "host7.example.net")
                         String publicAddress,
                         @Schema(description = "The backup store this host's agent shares with other hosts' agents (the same S3 bucket and prefix, "
                + "or a directory they all mount), named alike on each of them: a down host's servers can be restored from their backups on a host "
                + "sharing its store (POST /api/v1/evacuations). 1 to 40 of a-z, 0-9 and '-', starting with a letter or digit; empty: the "
                + "host's own store, read by no other host; absent keeps it", examples = "s3-eu-backups")
                         String backupStore) {
}
