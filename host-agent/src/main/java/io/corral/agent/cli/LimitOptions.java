package io.corral.agent.cli;

import io.corral.agent.spec.LimitsChange;
import picocli.CommandLine.Option;

/** Limit options shared by create and limits; null where not given. */
final class LimitOptions {
    @Option(names = "--memory", description = "Memory, e.g. 256M or 1G.") String memory;
    @Option(names = "--swap", description = "Swap on top of memory, e.g. 0 or 512M.") String swap;
    @Option(names = "--cpus", description = "CPU cores, e.g. 0.5.") Double cpus;
    @Option(names = "--cpu-weight", description = "Relative CPU weight 1..10000 (100 = normal).") Integer cpuWeight;
    @Option(names = "--pids", description = "Maximum number of processes.") Integer pids;
    @Option(names = "--disk", description = "Disk quota, e.g. 1G.") String disk;
    @Option(names = "--net-in", description = "Megabits per second into the server (0 = no limit).") Long netIn;
    @Option(names = "--net-out", description = "Megabits per second out of the server (0 = no limit).") Long netOut;
    @Option(names = "--disk-mibps", description = "Disk reads and writes, MiB per second each (0 = no limit).") Long diskMiBps;
    @Option(names = "--disk-iops", description = "Disk reads and writes, operations per second each (0 = no limit).") Long diskIops;

    LimitsChange change() {
        return new LimitsChange(Sizes.mib("limits.memoryMiB", memory), Sizes.mib("limits.swapMiB", swap), cpus,
                cpuWeight, pids, Sizes.mib("limits.diskMiB", disk), netIn, netOut, diskMiBps, diskIops);
    }
}
