package io.corral.agent.runtime;

import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import java.time.Instant;
import java.util.Optional;

/**
 * A server's init as the live system shows it: the process in the server's cgroup that is PID 1 of
 * its own PID namespace. Nothing about a running server is stored; after an agent restart this is
 * how it finds the servers that are still up.
 */
public record InitProcess(int pid, long startTicks) {
    private static final long TICKS_PER_SECOND = 100;

    public static Optional<InitProcess> find(Cgroups cgroups, String group) {
        ConsoleLog.reap(group);
        for (int pid : cgroups.pids(group)) {
            // Collects an init this agent started and that has ended, so it does not linger as a zombie.
            Processes.reap(pid);
            Optional<InitProcess> init = read(pid).filter(p -> isNamespaceInit(pid));
            if (init.isPresent()) {
                return init;
            }
        }
        return Optional.empty();
    }

    /** The process with its start time, if it is alive (a zombie is not). */
    public static Optional<InitProcess> read(int pid) {
        try {
            String stat = Sys.readSmallFile("/proc/" + pid + "/stat");
            // Fields after the command name, which may itself contain spaces and parentheses.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(new InitProcess(pid, Long.parseLong(f[19])));
        } catch (RuntimeException e) {
            return Optional.empty(); // gone (null), or gone while being read
        }
    }

    public boolean alive() {
        return read(pid).filter(p -> p.startTicks == startTicks).isPresent();
    }

    private static boolean isNamespaceInit(int pid) {
        String status;
        try {
            status = Sys.readSmallFile("/proc/" + pid + "/status");
        } catch (RuntimeException e) {
            return false;
        }
        for (String line : status == null ? new String[0] : status.split("\n")) {
            if (line.startsWith("NSpid:")) {
                String[] ids = line.substring(6).trim().split("\\s+");
                return ids.length > 1 && ids[ids.length - 1].equals("1");
            }
        }
        return false;
    }

    public Instant startedAt() {
        return HostClock.bootTime().plusMillis(startTicks * 1000 / TICKS_PER_SECOND);
    }
}
