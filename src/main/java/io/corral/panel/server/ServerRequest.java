package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer's order for a new server; limits left out take the defaults shown. */
public record ServerRequest(
        @Schema(description = "A host name in any script: ウェブ.example.jp is stored and set as xn--gckc5l.example.jp")
        @NotNull @Size(max = 253) String hostname,
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "{corral.template}") String template,
        @Min(Limits.MIN_MEMORY_MIB) Long memoryMiB,
        @Min(0) @Max(Limits.MAX_SWAP_MIB) Long swapMiB,
        @DecimalMin(Limits.MIN_CPUS) @DecimalMax(Limits.MAX_CPUS)
        @Digits(integer = Limits.CPUS_INTEGER_DIGITS, fraction = Limits.CPUS_FRACTION_DIGITS, message = Limits.CPUS_FORM) BigDecimal cpus,
        @Min(Limits.MIN_CPU_WEIGHT) @Max(Limits.MAX_CPU_WEIGHT) Integer cpuWeight,
        @Min(Limits.MIN_PIDS) @Max(Limits.MAX_PIDS) Integer pids,
        @Min(Limits.MIN_DISK_MIB) Long diskMiB,
        @Schema(description = "SSH public keys for root, as in id_ed25519.pub (ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of "
                + "2,048 bits or more); at most 32, written into /root/.ssh/authorized_keys before the server first boots")
        List<String> sshKeys,
        @Schema(description = "Root's password, 12 to 128 characters; only its SHA-512 crypt hash is kept and sent to the host",
                writeOnly = true)
        String rootPassword) {

    public ServerRequest(String hostname, String template, Long memoryMiB, Long swapMiB, BigDecimal cpus, Integer cpuWeight, Integer pids,
                         Long diskMiB) {
        this(hostname, template, memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB, null, null);
    }

    /** The password is never shown, not even in a log line that prints a request. */
    @Override
    public String toString() {
        return "ServerRequest[hostname=" + hostname + ", template=" + template + ", sshKeys=" + sshKeys
                + ", rootPassword=" + (rootPassword == null ? "none" : "given") + "]";
    }

    public Limits limits() {
        return new LimitsRequest(memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB).on(Limits.DEFAULTS);
    }
}
