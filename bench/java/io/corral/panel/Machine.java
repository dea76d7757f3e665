package io.corral.panel;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, in a line for its results. */
public final class Machine {
    private Machine() {
    }

    public static String describe() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        long memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        return String.format("%s, %d cores, %.0f GiB, Linux %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                memKiB / 1024.0 / 1024, System.getProperty("os.version"), System.getProperty("java.version"));
    }
}
