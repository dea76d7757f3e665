package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;

/** Some of a server's limits; null fields stay as they are. */
public record LimitsRequest(
        @Min(Limits.MIN_MEMORY_MIB) Long memoryMiB,
        @Min(0) @Max(Limits.MAX_SWAP_MIB) Long swapMiB,
        @DecimalMin(Limits.MIN_CPUS) @DecimalMax(Limits.MAX_CPUS)
        @Digits(integer = Limits.CPUS_INTEGER_DIGITS, fraction = Limits.CPUS_FRACTION_DIGITS, message = Limits.CPUS_FORM) BigDecimal cpus,
        @Min(Limits.MIN_CPU_WEIGHT) @Max(Limits.MAX_CPU_WEIGHT) Integer cpuWeight,
        @Min(Limits.MIN_PIDS) @Max(Limits.MAX_PIDS) Integer pids,
        @Min(Limits.MIN_DISK_MIB) Long diskMiB) {

    /** The given limits with those named here changed. */
    public Limits on(Limits current) {
        return new Limits(
                memoryMiB != null ? memoryMiB : current.memoryMiB(),
                swapMiB != null ? swapMiB : current.swapMiB(),
                cpus != null ? cpus : current.cpus(),
                cpuWeight != null ? cpuWeight : current.cpuWeight(),
                pids != null ? pids : current.pids(),
                diskMiB != null ? diskMiB : current.diskMiB());
    }
}
