package io.corral.agent.containment;

import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities a server's processes may ever hold: the bounding set corral-enter gives its init
 * and every command run in it, which no process of the server can widen (it also clears the
 * inheritable and ambient sets). The kept ones (with why) are below; every other capability the
 * kernel knows is dropped. host-agent/README.md lists them with the reasons for the dropped ones.
 */
final class Capabilities {
    /** Every capability by number (capability.h), so a report names the ones that should not be there too. */
    private static final List<String> NAMES = List.of("chown", "dac_override", "dac_read_search", "fowner", "fsetid",
            "kill", "setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin",
            "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
            "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
            "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
            "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore");
    /** Kept: what an ordinary Linux system needs as root inside its own namespaces. */
    static final List<String> KEPT = List.of(
            "chown",            // package managers and services chown their files
            "dac_override",     // root reads and writes its own files whatever their mode
            "fowner",           // chmod and utime on files root does not own
            "fsetid",           // keep setuid bits when root changes a file
            "kill",             // signal processes of other users (only in its PID namespace)
            "setgid",           // services drop to their own group
            "setuid",           // services drop to their own user; su and login
            "setpcap",          // services drop capabilities of their own
            "net_bind_service", // web and mail servers bind ports below 1024
            "net_raw",          // ping (its own network namespace only)
            "sys_chroot",       // chroot-based services (sshd privilege separation, build tools)
            "sys_boot",         // reboot(2) in a PID namespace ends only that server (kexec is refused by seccomp)
            "mknod",            // device nodes: only the allow-listed ones can be opened (devices cgroup)
            "audit_write",      // login and sshd write audit records
            "setfcap");         // package managers set file capabilities (ping, etc.)

    private Capabilities() {
    }

    /** Names of the capabilities in a bounding set as /proc/<pid>/status shows it (CapBnd, hexadecimal). */
    static List<String> names(long set) {
        List<String> names = new ArrayList<>();
        for (int cap = 0; cap < 64; cap++) {
            if ((set & (1L << cap)) != 0) {
                names.add(cap < NAMES.size() ? NAMES.get(cap) : "cap_" + cap);
            }
        }
        return names;
    }

    /** The kept names, without mknod where the host cannot restrict devices (no node beyond the prepared /dev can be made). */
    static List<String> kept(boolean deviceControl) {
        return KEPT.stream().filter(c -> deviceControl || !c.equals("mknod")).toList();
    }

    /** The kept set as corral-enter takes it: a bit mask in hex. */
    static String keptMask(boolean deviceControl) {
        long mask = 0;
        for (String cap : kept(deviceControl)) {
            mask |= 1L << NAMES.indexOf(cap);
        }
        return Long.toHexString(mask);
    }
}
