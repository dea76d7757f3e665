package io.corral.agent.containment;

import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The capabilities a server's processes may ever hold: the bounding set of its first process, which
 * every process of the server inherits and none can widen. The kept ones (with why) are below; every
 * other capability the kernel knows is dropped. host-agent/README.md lists them with the reasons for
 * the dropped ones.
 *
 * The boot script still needs CAP_SYS_ADMIN for its mounts and pivot_root, so the boot thread puts
 * SYS_ADMIN into its inheritable set (which execve keeps even outside the bounding set) and the
 * script clears it again (busybox setpriv) just before it execs the server's init.
 */
public final class Capabilities {
    /** Kept: what an ordinary Linux system needs as root inside its own namespaces. */
    static final Map<String, Integer> KEPT = Map.ofEntries(
            Map.entry("chown", 0),            // package managers and services chown their files
            Map.entry("dac_override", 1),     // root reads and writes its own files whatever their mode
            Map.entry("fowner", 3),           // chmod and utime on files root does not own
            Map.entry("fsetid", 4),           // keep setuid bits when root changes a file
            Map.entry("kill", 5),             // signal processes of other users (only in its PID namespace)
            Map.entry("setgid", 6),           // services drop to their own group
            Map.entry("setuid", 7),           // services drop to their own user; su and login
            Map.entry("setpcap", 8),          // services drop capabilities of their own
            Map.entry("net_bind_service", 10),// web and mail servers bind ports below 1024
            Map.entry("net_raw", 13),         // ping (its own network namespace only)
            Map.entry("sys_chroot", 18),      // chroot-based services (sshd privilege separation, build tools)
            Map.entry("sys_boot", 22),        // reboot(2) in a PID namespace ends only that server (kexec is refused by seccomp)
            Map.entry("mknod", 27),           // device nodes: only the allow-listed ones can be opened (devices cgroup)
            Map.entry("audit_write", 29),     // login and sshd write audit records
            Map.entry("setfcap", 31));        // package managers set file capabilities (ping, etc.)
    public static final int SYS_ADMIN = 21, MKNOD = 27;
    private static final int PR_CAPBSET_DROP = 24;
    private static final int VERSION_3 = 0x20080522;

    private Capabilities() {
    }

    /**
     * Limits the calling thread's bounding set to the kept capabilities (without mknod where devices
     * cannot be restricted, so no node beyond the prepared /dev can be made) and puts SYS_ADMIN into
     * its inheritable set for the boot script. Only this thread changes: the agent's others keep theirs.
     */
    public static void restrictThread(boolean deviceControl) {
        List<Integer> kept = kept(deviceControl);
        addInheritable(SYS_ADMIN);
        for (int cap = 0; cap <= lastCap(); cap++) {
            if (!kept.contains(cap)) {
                Sys.prctl(PR_CAPBSET_DROP, cap, "PR_CAPBSET_DROP " + cap);
            }
        }
    }

    /** Names of the capabilities in a bounding set as /proc/<pid>/status shows it (CapBnd, hexadecimal). */
    public static List<String> names(long set) {
        List<String> names = new ArrayList<>();
        for (int cap = 0; cap < 64; cap++) {
            if ((set & (1L << cap)) != 0) {
                int c = cap;
                names.add(KEPT.entrySet().stream().filter(e -> e.getValue() == c).map(Map.Entry::getKey).findFirst()
                        .orElse("cap_" + cap));
            }
        }
        return names;
    }

    /** The kept set as a bit mask in hex, for the user namespace helper (which narrows the set inside). */
    static String keptMask(boolean deviceControl) {
        long mask = 0;
        for (int cap : kept(deviceControl)) {
            mask |= 1L << cap;
        }
        return Long.toHexString(mask);
    }

    static List<Integer> kept(boolean deviceControl) {
        return KEPT.values().stream().filter(c -> deviceControl || c != MKNOD).toList();
    }

    private static void addInheritable(int cap) {
        jnr.ffi.Runtime rt = Sys.runtime();
        Pointer header = Memory.allocateDirect(rt, 8);
        Pointer data = Memory.allocateDirect(rt, 24); // two {effective, permitted, inheritable} of 32 bits
        header.putInt(0, VERSION_3);
        header.putInt(4, 0);
        Sys.capget(header, data);
        int word = cap / 32, offset = word * 12 + 8;
        data.putInt(offset, data.getInt(offset) | (1 << (cap % 32)));
        Sys.capset(header, data);
    }

    private static int lastCap() {
        try {
            // one read of the whole line: a sysctl file answers a second, partial read with end of file
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
