package io.corral.agent.containment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a running server is held in, read from the live system (its init's /proc entries, compared with
 * the agent's own namespaces), not from what the agent meant to do: the namespaces it does not share
 * with the host, the capabilities it may ever hold, whether seccomp filters its calls, how devices
 * are limited, and its user mapping.
 */
public record IsolationReport(List<String> namespaces, List<String> sharedNamespaces, List<String> capabilities,
                              boolean seccomp, boolean noNewPrivileges, String devices, String userNamespace) {
    private static final List<String> KINDS = List.of("mnt", "uts", "ipc", "net", "pid", "cgroup", "user");

    public static IsolationReport of(int initPid, boolean deviceControl) {
        Path proc = Path.of("/proc", Integer.toString(initPid));
        List<String> own = KINDS.stream().filter(ns -> !link(proc.resolve("ns/" + ns)).equals(link(Path.of("/proc/self/ns/" + ns)))).toList();
        List<String> shared = KINDS.stream().filter(ns -> !own.contains(ns)).toList();
        List<String> status = lines(proc.resolve("status"));
        long bounding = Long.parseUnsignedLong(field(status, "CapBnd"), 16);
        return new IsolationReport(own, shared, Capabilities.names(bounding), "2".equals(field(status, "Seccomp")),
                "1".equals(field(status, "NoNewPrivs")),
                deviceControl ? "only " + String.join(", ", Containment.DEVICES.values()) + " (device control of its cgroup)"
                        : "no mknod; only the nodes of its own /dev (this host has no device control)",
                own.contains("user") ? userMapping(lines(proc.resolve("uid_map")))
                        : "off: root inside is root on the host, held in by the capability bounding set, seccomp and "
                        + "the device rules");
    }

    /** Which ids inside are which on the host, from the first line of a uid_map ("inside outside count"). */
    private static String userMapping(List<String> uidMap) {
        String[] f = uidMap.get(0).trim().split("\\s+");
        long inside = Long.parseLong(f[0]), outside = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
        return "own range: ids " + inside + "–" + (inside + count - 1) + " inside are " + outside + "–"
                + (outside + count - 1) + " on the host (root inside is uid " + (outside - inside) + " there)";
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "unreadable:" + p;
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElse("");
    }
}
