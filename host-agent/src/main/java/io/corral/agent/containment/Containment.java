package io.corral.agent.containment;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What holds a server's processes in, applied to the thread that starts its first process (or an exec
 * into it): the reduced capability bounding set and the seccomp filter, both inherited by every
 * process the server ever has. The devices cgroup and the masked /proc are applied elsewhere (the
 * cgroups and the boot script); see host-agent/README.md for the whole list.
 */
public final class Containment {
    /** Device nodes a server may create and open: the cgroup v1 devices allow-list. */
    public static final List<String> DEVICES = List.of(
            "c 1:3 rwm",    // null
            "c 1:5 rwm",    // zero
            "c 1:7 rwm",    // full
            "c 1:8 rwm",    // random
            "c 1:9 rwm",    // urandom
            "c 5:0 rwm",    // tty
            "c 5:2 rwm",    // ptmx
            "c 136:* rwm"); // the server's own pseudo-terminals (devpts newinstance)

    /** /proc files that show or change the host, hidden behind /dev/null inside. */
    public static final List<String> MASKED_PROC_FILES = List.of(
            "kcore", "kmsg", "sysrq-trigger", "timer_list", "keys", "latency_stats", "sched_debug", "kallsyms", "config.gz");
    /** /proc directories that are read-only inside (their settings are the host's). */
    public static final List<String> READ_ONLY_PROC_DIRS = List.of("sys", "bus", "fs", "irq");
    /** The capability the boot script (and exec's nsenter) still needs, and clears before the server's code runs. */
    public static final String SCRIPT_CAPABILITY = "sys_admin";

    private Containment() {
    }

    /** Restricts the calling thread: bounding set and seccomp filter, for everything it spawns from now on. */
    public static void confineThisThread(boolean deviceControl) {
        Capabilities.restrictThread(deviceControl);
        SeccompFilter.installOnThread();
    }

    /** Runs work on a fresh thread confined as above, which ends with it, so no other thread of the agent changes. */
    public static <T> T onConfinedThread(boolean deviceControl, Callable<T> work) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                confineThisThread(deviceControl);
                outcome.set(work.call());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "confined-spawn");
        thread.start();
        thread.join();
        if (outcome.get() instanceof Exception e) {
            throw e;
        }
        if (outcome.get() instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome.get();
        return result;
    }

    /** The boot script's lines that mask /proc, run after it mounted /proc at "$ROOT/proc" with busybox at $BB. */
    public static String procMasks() {
        StringBuilder s = new StringBuilder();
        s.append("for f in ").append(String.join(" ", MASKED_PROC_FILES)).append("; do\n")
                .append("  [ -e \"$ROOT/proc/$f\" ] && { $BB mount -o bind \"$ROOT/dev/null\" \"$ROOT/proc/$f\" || exit 1; }\ndone\n");
        s.append("for d in ").append(String.join(" ", READ_ONLY_PROC_DIRS)).append("; do\n")
                .append("  [ -d \"$ROOT/proc/$d\" ] && { $BB mount -o bind \"$ROOT/proc/$d\" \"$ROOT/proc/$d\" &&")
                .append(" $BB mount -o remount,bind,ro,nosuid,nodev,noexec \"$ROOT/proc/$d\" || exit 1; }\ndone\n");
        return s.toString();
    }
}
