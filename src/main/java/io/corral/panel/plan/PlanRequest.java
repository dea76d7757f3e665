package io.corral.panel.plan;

import io.corral.panel.common.Text;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A plan as an admin writes it: for every limit a server has, the most one server may have and the most
 * the tenant's servers may have together; and the bandwidth and disk IO each server gets. Per server never
 * more than a host agent takes.
 */
public record PlanRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name,
        @Schema(description = "Servers the tenant may have") @NotNull @Min(0) Integer maxServers,
        @Schema(description = "Memory of all its servers together, MiB") @NotNull @Min(0) Long maxMemoryMiB,
        @Schema(description = "Swap of all its servers together, MiB") @NotNull @Min(0) Long maxSwapMiB,
        @Schema(description = "CPUs (cores) of all its servers together") @NotNull @DecimalMin("0")
        @Digits(integer = Limits.CPUS_INTEGER_DIGITS, fraction = Limits.CPUS_FRACTION_DIGITS, message = Limits.CPUS_FORM) BigDecimal maxCpus,
        @Schema(description = "CPU weight of all its servers together (100 per server is normal)") @NotNull @Min(0) Long maxCpuWeight,
        @Schema(description = "Processes of all its servers together") @NotNull @Min(0) Long maxPids,
        @Schema(description = "Disk of all its servers together, MiB") @NotNull @Min(0) Long maxDiskMiB,
        @Schema(description = "Memory of one server, MiB") @NotNull @Min(Limits.MIN_MEMORY_MIB) Long serverMaxMemoryMiB,
        @Schema(description = "Swap of one server, MiB (an agent takes up to 1 TiB)") @NotNull @Min(0) @Max(Limits.MAX_SWAP_MIB) Long serverMaxSwapMiB,
        @Schema(description = "CPUs (cores) of one server") @NotNull @DecimalMin(Limits.MIN_CPUS)
        @Digits(integer = Limits.CPUS_INTEGER_DIGITS, fraction = Limits.CPUS_FRACTION_DIGITS, message = Limits.CPUS_FORM) BigDecimal serverMaxCpus,
        @Schema(description = "CPU weight of one server: its share of a busy host's CPUs against other servers' (1 to 10000; 100 is normal)")
        @NotNull @Min(Limits.MIN_CPU_WEIGHT) @Max(Limits.MAX_CPU_WEIGHT) Integer serverMaxCpuWeight,
        @Schema(description = "Processes of one server (8 to 4194304)") @NotNull @Min(Limits.MIN_PIDS) @Max(Limits.MAX_PIDS) Integer serverMaxPids,
        @Schema(description = "Disk of one server, MiB") @NotNull @Min(Limits.MIN_DISK_MIB) Long serverMaxDiskMiB,
        @Schema(description = "Bandwidth into each server, Mbit/s (0 to 100000; 0 or absent: no limit)")
        @Min(0) @Max(Rates.MAX_MBIT) Integer serverNetworkInMbit,
        @Schema(description = "Bandwidth out of each server, Mbit/s (0 to 100000; 0 or absent: no limit)")
        @Min(0) @Max(Rates.MAX_MBIT) Integer serverNetworkOutMbit,
        @Schema(description = "Disk reads and writes of each server, MiB/s each (0 to 100000; 0 or absent: no limit)")
        @Min(0) @Max(Rates.MAX_DISK_MIBPS) Integer serverDiskMiBps,
        @Schema(description = "Disk reads and writes of each server, operations per second each (0 to 10000000; 0 or absent: no limit)")
        @Min(0) @Max(Rates.MAX_DISK_IOPS) Integer serverDiskIops,
        @Schema(description = "Port forwards each server on a private network may have (0 to 32; 0: none; absent: 4)")
        @Min(0) @Max(Plan.MAX_PORT_FORWARDS) Integer serverPortForwards,
        @Schema(description = "Snapshots each server may keep (0 to 16, what an agent keeps; 0: none; absent: 3)")
        @Min(0) @Max(Plan.MAX_SNAPSHOTS) Integer serverMaxSnapshots,
        @Schema(description = "Storage the tenant's snapshots may take on the hosts in all, GiB as the hosts measure them (0 to 1000000; absent: 20)")
        @Min(0) @Max(Plan.MAX_SNAPSHOT_GIB) Long maxSnapshotGiB,
        @Schema(description = "Backups each server may keep, scheduled ones included (0 to 100; 0: none; absent: 7)")
        @Min(0) @Max(Plan.MAX_BACKUPS) Integer serverMaxBackups,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceServerMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceMemoryGiBMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceCpuMonth,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceDiskGiBMonth,
        @Schema(description = "Traffic each server may send in a calendar month (UTC) before the rest is charged, GiB (0 to 100000000; "
                + "0: none included; absent or null: unmetered, nothing charged). Only what a server sends counts; a server that exists "
                + "for part of a month gets that part of it")
        @Min(0) @Max(MAX_INCLUDED_TRAFFIC_GIB) Long serverIncludedTrafficGiB,
        @Schema(description = "Price of each GiB a server sends beyond its included traffic, in the plan's currency (absent: 0)")
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceTrafficOverageGiB,
        @Schema(description = "Price of a GiB of snapshots stored for a month, in the plan's currency (absent: 0)")
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceSnapshotGiBMonth,
        @Schema(description = "Price of a GiB of backups stored (compressed) for a month, in the plan's currency (absent: 0)")
        @DecimalMin("0") @Digits(integer = 8, fraction = 4, message = PRICE) BigDecimal priceBackupGiBMonth,
        @Pattern(regexp = "[A-Z]{3}", message = "{corral.currency}") String currency,
        @Schema(description = "The network its servers get an address on: private (the default), public, or none (loopback only); "
                + "an order is refused when the chosen host has no network of the kind with a free address")
        @Pattern(regexp = "none|private|public", message = "{corral.plan.network}") String network) {
    /** What the plan table's numeric columns hold. */
    /** In ValidationMessages: in the page's language on a page, English from the API. */
    static final String PRICE = "{corral.price}";
    /** About three times what a 100 Gbit/s link, the most an agent shapes to, sends in a month. */
    static final long MAX_INCLUDED_TRAFFIC_GIB = 100_000_000;
}
