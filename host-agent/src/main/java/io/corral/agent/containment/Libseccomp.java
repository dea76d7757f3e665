package io.corral.agent.containment;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * libseccomp (Debian's libseccomp2), which knows each architecture's system call numbers and compiles
 * rules into the kernel's filter program: the calls the agent makes, with its constants. Each int
 * call returns 0 or a negative errno.
 */
public interface Libseccomp {
    int ACT_KILL_PROCESS = 0x80000000, ACT_ALLOW = 0x7fff0000, ACT_ERRNO = 0x00050000;
    int ATTR_ACT_BADARCH = 2, ATTR_CTL_NNP = 3, ATTR_CTL_OPTIMIZE = 8;
    int CMP_NE = 1, CMP_EQ = 4, CMP_MASKED_EQ = 7;
    /** struct scmp_arg_cmp: unsigned arg, enum op, uint64 datum_a, uint64 datum_b. */
    int ARG_CMP_SIZE = 24;
    /** __NR_SCMP_ERROR: a name this architecture does not have. */
    int UNKNOWN = -1;

    Libseccomp LIB = LibraryLoader.create(Libseccomp.class).failImmediately().load("seccomp");

    static int errno(int errno) {
        return ACT_ERRNO | (errno & 0xffff);
    }

    Pointer seccomp_init(int defaultAction);

    void seccomp_release(Pointer context);

    int seccomp_attr_set(Pointer context, int attribute, int value);

    int seccomp_rule_add_array(Pointer context, int action, int syscall, int argCount, Pointer comparisons);

    int seccomp_syscall_resolve_name(String name);

    /** The name of a number on an architecture (malloc'd), or null. */
    Pointer seccomp_syscall_resolve_num_arch(int architecture, int number);

    int seccomp_arch_native();

    int seccomp_export_bpf(Pointer context, int fd);
}
