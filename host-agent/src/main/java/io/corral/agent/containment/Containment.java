package io.corral.agent.containment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What holds a server's processes in, as corral-enter takes it on its command line (see
 * {@link EnterHelper}): the capabilities kept in the bounding set and the seccomp filter, applied to
 * its init and to every command run in it, and at boot the paths of /proc and /sys hidden or made
 * read-only (the OCI runtime specification's defaults, and a few more). The devices cgroup or device
 * program is applied by the cgroups. host-agent/README.md lists all of it with the reasons.
 */
public final class Containment {
    /** Device nodes a server may create and open: the cgroup v1 devices allow-list, rule → what it is. */
    public static final Map<String, String> DEVICES = orderedMap(
            "c 1:3 rwm", "null", "c 1:5 rwm", "zero", "c 1:7 rwm", "full", "c 1:8 rwm", "random", "c 1:9 rwm", "urandom",
            "c 5:0 rwm", "tty", "c 5:2 rwm", "ptmx", "c 136:* rwm", "its own pseudo-terminals");

    /** Hidden inside: a file behind /dev/null, a directory behind an empty read-only tmpfs. They show or change the host. */
    public static final List<String> MASKED = List.of(
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/kmsg", "/proc/kallsyms", "/proc/config.gz",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    /** Read-only inside: the host's settings and triggers. */
    public static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private Containment() {
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** corral-enter's options for what every process of a server is held to: kept capabilities and seccomp filter. */
    public static List<String> confinement(boolean deviceControl) {
        return List.of("-k", Capabilities.keptMask(deviceControl), "-f", SeccompFilter.hex());
    }

    /** corral-enter's options for the masked and read-only paths, relative to the server's root. */
    public static List<String> hiddenPaths() {
        List<String> options = new ArrayList<>();
        MASKED.forEach(path -> options.addAll(List.of("-m", path.substring(1))));
        READ_ONLY.forEach(path -> options.addAll(List.of("-o", path.substring(1))));
        return options;
    }
}
