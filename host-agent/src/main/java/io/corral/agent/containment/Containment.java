package io.corral.agent.containment;

import io.corral.agent.sys.Sys;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What holds a server's processes in, applied to the thread that starts its first process (or an exec
 * into it): the reduced capability bounding set and the seccomp filter, both inherited by every
 * process the server ever has. The devices cgroup and the masked /proc are applied elsewhere (the
 * cgroups and {@link #maskProc}); see host-agent/README.md for the whole list.
 */
public final class Containment {
    /** Device nodes a server may create and open: the cgroup v1 devices allow-list, rule → what it is. */
    public static final Map<String, String> DEVICES = orderedMap(
            "c 1:3 rwm", "null", "c 1:5 rwm", "zero", "c 1:7 rwm", "full", "c 1:8 rwm", "random", "c 1:9 rwm", "urandom",
            "c 5:0 rwm", "tty", "c 5:2 rwm", "ptmx", "c 136:* rwm", "its own pseudo-terminals");

    /** /proc files that show or change the host, hidden behind /dev/null inside. */
    public static final List<String> MASKED_PROC_FILES = List.of(
            "kcore", "kmsg", "sysrq-trigger", "timer_list", "keys", "latency_stats", "sched_debug", "kallsyms", "config.gz");
    /** /proc directories that are read-only inside (their settings are the host's). */
    public static final List<String> READ_ONLY_PROC_DIRS = List.of("sys", "bus", "fs", "irq");
    /** The capability the boot script (and exec's nsenter) still needs, and clears before the server's code runs. */
    public static final String SCRIPT_CAPABILITY = "sys_admin";

    private Containment() {
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** The descriptor on which boot and exec scripts keep the user namespace helper open past pivot_root and chroot. */
    public static final int HELPER_FD = 9;

    /**
     * Restricts the calling thread: bounding set and seccomp filter, for everything it spawns from now
     * on. When it boots a server with a user namespace of its own, the filter still lets the helper
     * make that namespace, and the helper confines again inside it (see {@link #helperConfinement}).
     */
    public static void confineThisThread(boolean deviceControl, boolean makesUserNamespace) {
        Capabilities.restrictThread(deviceControl);
        SeccompFilter.installOnThread(!makesUserNamespace);
    }

    /**
     * The command that confines inside a server's user namespace, where entering gave back every
     * capability: the helper (open on {@link #HELPER_FD}) installs the whole seccomp filter, narrows
     * the bounding set to the kept capabilities and execs the rest of its arguments.
     */
    public static String helperConfinement(boolean deviceControl) {
        return "/proc/self/fd/" + HELPER_FD + " confine " + Capabilities.keptMask(deviceControl) + " " + SeccompFilter.hex();
    }

    /**
     * Runs work on a fresh thread confined as above (entering a server's user namespace, as exec does,
     * is setns, which the whole filter allows), which ends with it, so no other thread of the agent changes.
     */
    public static <T> T onConfinedThread(boolean deviceControl, Callable<T> work) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                confineThisThread(deviceControl, false);
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

    /**
     * Masks the server's /proc (mounted at root/proc, in the calling thread's mount namespace): the
     * files behind the server's own /dev/null, the directories read-only. What this kernel lacks is skipped.
     */
    public static void maskProc(Path root) {
        Path proc = root.resolve("proc");
        String devNull = root.resolve("dev/null").toString();
        for (String file : MASKED_PROC_FILES) {
            Path p = proc.resolve(file);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Sys.mount(devNull, p.toString(), null, Sys.MS_BIND, null);
            }
        }
        for (String dir : READ_ONLY_PROC_DIRS) {
            Path p = proc.resolve(dir);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Sys.mount(p.toString(), p.toString(), null, Sys.MS_BIND | Sys.MS_REC, null);
                Sys.mount(null, p.toString(), null, Sys.MS_REMOUNT | Sys.MS_BIND | Sys.MS_RDONLY
                        | Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC, null);
            }
        }
    }
}
