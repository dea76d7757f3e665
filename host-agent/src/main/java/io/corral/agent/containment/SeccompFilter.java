package io.corral.agent.containment;

import io.corral.agent.sys.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The system calls a server must never make, refused with EPERM by a seccomp filter on the boot
 * thread, which every process of the server inherits. x86_64 only: any other architecture's calls
 * (including the x32 ABI) are refused outright, so a filter written for one table cannot be walked
 * around through another. host-agent/README.md lists the calls with these reasons.
 */
public final class SeccompFilter {
    /** System call number (x86_64) → why a server may not make it. */
    static final Map<Integer, String> REFUSED = new LinkedHashMap<>();

    static {
        refuse("replaces the host's kernel (CAP_SYS_BOOT is kept for reboot, which a PID namespace confines)", 246, 320); // kexec_load, kexec_file_load
        refuse("loads or removes kernel modules", 175, 313, 176); // init_module, finit_module, delete_module
        refuse("opens files by handle, outside the server's root (the 'shocker' break-out)", 304, 303); // open_by_handle_at, name_to_handle_at
        refuse("switches the host's swap", 167, 168); // swapon, swapoff
        refuse("loads programs into the kernel", 321); // bpf
        refuse("observes the whole host (performance counters)", 298); // perf_event_open
        refuse("the kernel keyring is not namespaced", 248, 249, 250); // add_key, request_key, keyctl
        refuse("reads or clears the host's kernel log", 103); // syslog
        refuse("sets the host's clock", 227, 305, 164); // clock_settime, clock_adjtime, settimeofday
        refuse("switches process accounting for the host", 163); // acct
        refuse("raw I/O port access", 172, 173); // iopl, ioperm
        refuse("a frequent source of kernel exploits with no use a server cannot do without", 323, 425, 426, 427); // userfaultfd, io_uring_*
        refuse("obsolete calls kept only as attack surface", 134, 136, 139, 156, 212); // uselib, ustat, sysfs, _sysctl, lookup_dcookie
    }

    private static final int CLONE = 56, UNSHARE = 272, CLONE3 = 435;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E, X32_BIT = 0x40000000;
    private static final int RET_KILL_PROCESS = 0x80000000, RET_ERRNO = 0x00050000, RET_ALLOW = 0x7fff0000;
    private static final int EPERM = 1, ENOSYS = 38;
    // classic BPF opcodes
    private static final short LD_W_ABS = 0x20, JEQ_K = 0x15, JGE_K = 0x35, JSET_K = 0x45, RET_K = 0x06;
    private static final int PR_SET_SECCOMP = 22, SECCOMP_MODE_FILTER = 2;

    private SeccompFilter() {
    }

    private static void refuse(String why, int... numbers) {
        for (int n : numbers) {
            REFUSED.put(n, why);
        }
    }

    private record Insn(short code, int jt, int jf, int k) {
    }

    /**
     * The program: wrong architecture → kill; x32 → EPERM; a refused call → EPERM; clone or unshare
     * asking for a user namespace → EPERM (a new user namespace would give back every capability
     * inside it); clone3 → ENOSYS, so the C library falls back to clone, whose flags can be checked.
     * Without refuseNewUserNamespaces the last two checks are left out: for the boot of a server
     * that gets a user namespace of its own, whose helper then adds the whole filter (see {@link #hex}).
     */
    static List<Insn> program(boolean refuseNewUserNamespaces) {
        int checks = 5 + REFUSED.size();          // index of the first instruction after the refused calls
        int checkFlags = checks + 4, enosys = checks + 7, eperm = refuseNewUserNamespaces ? checks + 8 : checks + 1;
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(LD_W_ABS, 0, 0, 4));                                   // 0: seccomp_data.arch
        p.add(new Insn(JEQ_K, 1, 0, AUDIT_ARCH_X86_64));                     // 1
        p.add(new Insn(RET_K, 0, 0, RET_KILL_PROCESS));                      // 2
        p.add(new Insn(LD_W_ABS, 0, 0, 0));                                   // 3: seccomp_data.nr
        p.add(new Insn(JGE_K, jump(4, eperm), 0, X32_BIT));                  // 4
        for (int nr : REFUSED.keySet()) {
            p.add(new Insn(JEQ_K, jump(p.size(), eperm), 0, nr));
        }
        if (refuseNewUserNamespaces) {
            p.add(new Insn(JEQ_K, jump(checks, enosys), 0, CLONE3));
            p.add(new Insn(JEQ_K, jump(checks + 1, checkFlags), 0, UNSHARE));
            p.add(new Insn(JEQ_K, jump(checks + 2, checkFlags), 0, CLONE));
            p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
            p.add(new Insn(LD_W_ABS, 0, 0, 16));                              // checkFlags: low 32 bits of args[0]
            p.add(new Insn(JSET_K, jump(checkFlags + 1, eperm), 0, (int) CLONE_NEWUSER));
            p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
            p.add(new Insn(RET_K, 0, 0, RET_ERRNO | ENOSYS));                // enosys
        } else {
            p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
        }
        p.add(new Insn(RET_K, 0, 0, RET_ERRNO | EPERM));                     // eperm
        return p;
    }

    /** A conditional jump's offset: instructions skipped after the one at `from` to land on `to`. */
    private static int jump(int from, int to) {
        return to - from - 1;
    }

    /** Installs the filter on the calling thread (which holds CAP_SYS_ADMIN, so no_new_privs is not needed). */
    public static void installOnThread(boolean refuseNewUserNamespaces) {
        byte[] program = encoded(program(refuseNewUserNamespaces));
        jnr.ffi.Runtime rt = Sys.runtime();
        Pointer filter = Memory.allocateDirect(rt, program.length);
        filter.put(0, program, 0, program.length);
        Pointer fprog = Memory.allocateDirect(rt, 16);
        fprog.putShort(0, (short) (program.length / 8));
        fprog.putAddress(8, filter.address());
        Sys.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog, "PR_SET_SECCOMP");
    }

    /** The whole filter as the user namespace helper takes it: struct sock_filter in memory order, in hex. */
    public static String hex() {
        return HexFormat.of().formatHex(encoded(program(true)));
    }

    private static byte[] encoded(List<Insn> program) {
        ByteBuffer bytes = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn in : program) {
            bytes.putShort(in.code()).put((byte) in.jt()).put((byte) in.jf()).putInt(in.k());
        }
        return bytes.array();
    }
}
