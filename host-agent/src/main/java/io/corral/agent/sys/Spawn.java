package io.corral.agent.sys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * posix_spawn without inheriting anything from the agent: no descriptors beyond stdin, stdout and
 * stderr (all /dev/null), default signal handling, an empty signal mask and a session of its own,
 * so neither the agent's sockets and files nor a Ctrl-C at its terminal reach the child. Unlike
 * ProcessBuilder it starts no thread, so it works on a thread that has unshared its PID namespace.
 */
public final class Spawn {
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare.
    private static final int ACTIONS_SIZE = 256, ATTR_SIZE = 512, SIGSET_SIZE = 256;

    private Spawn() {
    }

    /** Starts path with argv and envp; returns the child's pid. */
    public static int spawn(String path, List<String> argv, List<String> envp) {
        return spawn(path, argv, envp, -1, -1, -1);
    }

    /** As {@link #spawn(String, List, List)}, with stdin, stdout and stderr on the given descriptors (-1: /dev/null). */
    public static int spawn(String path, List<String> argv, List<String> envp, int stdinFd, int stdoutFd, int stderrFd) {
        return spawn(path, -1, argv, envp, stdinFd, stdoutFd, stderrFd);
    }

    /**
     * As above, running the program held open on programFd (a sealed memory file) rather than one
     * found by path: it is passed as descriptor 3 and executed as /proc/self/fd/3; extraFd (-1: none)
     * is passed as descriptor 4.
     */
    public static int spawnFromDescriptor(int programFd, List<String> argv, List<String> envp, int stdinFd, int stdoutFd,
                                          int stderrFd, int extraFd) {
        return spawn("/proc/self/fd/3", programFd, argv, envp, stdinFd, stdoutFd, stderrFd, extraFd);
    }

    private static int spawn(String path, int programFd, List<String> argv, List<String> envp, int stdinFd, int stdoutFd,
                             int stderrFd) {
        return spawn(path, programFd, argv, envp, stdinFd, stdoutFd, stderrFd, -1);
    }

    private static int spawn(String path, int programFd, List<String> argv, List<String> envp, int stdinFd, int stdoutFd,
                             int stderrFd, int extraFd) {
        int[] given = {stdinFd, stdoutFd, stderrFd};
        LibC c = Sys.LIBC;
        jnr.ffi.Runtime rt = Sys.RUNTIME;
        Pointer actions = Memory.allocateDirect(rt, ACTIONS_SIZE);
        Pointer attr = Memory.allocateDirect(rt, ATTR_SIZE);
        Pointer sigset = Memory.allocateDirect(rt, SIGSET_SIZE);
        List<Pointer> keepAlive = new ArrayList<>();
        checkSpawn(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        checkSpawn(c.posix_spawnattr_init(attr), "posix_spawnattr_init");
        try {
            for (int fd = 0; fd < 3; fd++) {
                if (given[fd] >= 0) {
                    checkSpawn(c.posix_spawn_file_actions_adddup2(actions, given[fd], fd), "adddup2(" + given[fd] + ", " + fd + ")");
                } else {
                    int flags = fd == 0 ? Sys.O_RDONLY : Sys.O_WRONLY;
                    checkSpawn(c.posix_spawn_file_actions_addopen(actions, fd, "/dev/null", flags, 0), "addopen(/dev/null)");
                }
            }
            if (programFd >= 0) {
                checkSpawn(c.posix_spawn_file_actions_adddup2(actions, programFd, 3), "adddup2(" + programFd + ", 3)");
            }
            if (extraFd >= 0) {
                checkSpawn(c.posix_spawn_file_actions_adddup2(actions, extraFd, 4), "adddup2(" + extraFd + ", 4)");
            }
            int firstClosed = extraFd >= 0 ? 5 : programFd >= 0 ? 4 : 3;
            checkSpawn(c.posix_spawn_file_actions_addclosefrom_np(actions, firstClosed), "addclosefrom_np(" + firstClosed + ")");
            c.sigfillset(sigset);
            checkSpawn(c.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            c.sigemptyset(sigset);
            checkSpawn(c.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            checkSpawn(c.posix_spawnattr_setflags(attr,
                    (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID)), "posix_spawnattr_setflags");
            IntByReference pid = new IntByReference();
            checkSpawn(c.posix_spawn(pid, path, actions, attr, stringArray(argv, keepAlive), stringArray(envp, keepAlive)),
                    "posix_spawn(" + path + ")");
            return pid.intValue();
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
        }
    }

    /**
     * jnr-ffi starts its reference finalizer thread on the first native allocation; a thread that
     * has unshared its PID namespace cannot create threads, so do that once here first.
     */
    public static void warmUp() {
        int pid = spawn("/bin/true", List.of("true"), List.of());
        IntByReference status = new IntByReference();
        Sys.LIBC.waitpid(pid, status, 0);
    }

    private static Pointer stringArray(List<String> strings, List<Pointer> keepAlive) {
        jnr.ffi.Runtime rt = Sys.RUNTIME;
        int pointerSize = rt.addressSize();
        Pointer array = Memory.allocateDirect(rt, (long) (strings.size() + 1) * pointerSize, true);
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer s = Memory.allocateDirect(rt, bytes.length + 1, true);
            s.put(0, bytes, 0, bytes.length);
            keepAlive.add(s);
            array.putPointer((long) i * pointerSize, s);
        }
        keepAlive.add(array);
        return array;
    }

    private static void checkSpawn(int result, String call) {
        if (result != 0) {
            throw new SysCallException(call, result);
        }
    }
}
