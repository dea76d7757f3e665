package io.corral.agent.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/** The libc calls the agent makes itself; see {@link Sys} for the checked wrappers. */
public interface LibC {
    @SaveError int unshare(int flags);
    @SaveError int sethostname(String name, long len);
    @SaveError int mount(String source, String target, String fstype, long flags, String data);
    @SaveError int umount2(String target, int flags);
    @SaveError int mknod(String path, int mode, long dev);
    @SaveError int chmod(String path, int mode);
    @SaveError int open(String path, int flags, int mode);
    @SaveError int close(int fd);
    @SaveError int ioctl(int fd, long request, long arg);
    @SaveError int ioctl(int fd, long request, Pointer arg);
    @SaveError int kill(int pid, int signal);
    @SaveError int waitpid(int pid, IntByReference status, int options);
    @SaveError long syscall(long number, long arg1, Pointer arg2, long arg3);
    @SaveError long syscall(long number, long arg1, Pointer arg2, long arg3, Pointer arg4, long arg5);
    @SaveError int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    @SaveError int statvfs(String path, Pointer buf);
    @SaveError int pipe2(@jnr.ffi.annotations.Out int[] fds, int flags);
    @SaveError long read(int fd, @jnr.ffi.annotations.Out byte[] buffer, long count);
    @SaveError long pread(int fd, @jnr.ffi.annotations.Out byte[] buffer, long count, long offset);
    @SaveError long write(int fd, @jnr.ffi.annotations.In byte[] buffer, long count);
    @SaveError long pwrite(int fd, @jnr.ffi.annotations.In byte[] buffer, long count, long offset);
    @SaveError long write(int fd, Pointer buffer, long count);
    @SaveError long syscall(long number, String arg1, long arg2);
    @SaveError long syscall(long number, long arg1, long arg2);
    @SaveError int fcntl(int fd, int command, int arg);
    @SaveError long lseek(int fd, long offset, int whence);
    @SaveError int ftruncate(int fd, long length);
    @SaveError int fallocate(int fd, int mode, long offset, long length);
    @SaveError int fsync(int fd);
    @SaveError int syncfs(int fd);
    @SaveError long copy_file_range(int fdIn, jnr.ffi.byref.LongLongByReference offIn, int fdOut,
                                    jnr.ffi.byref.LongLongByReference offOut, long length, int flags);
    @SaveError int poll(Pointer fds, long count, int timeoutMillis);
    @SaveError long lgetxattr(String path, String name, @jnr.ffi.annotations.Out byte[] value, long size);
    @SaveError int lsetxattr(String path, String name, @jnr.ffi.annotations.In byte[] value, long size, int flags);
    void free(Pointer pointer);

    // posix_spawn family: these return an error number instead of setting errno.
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
    int posix_spawn_file_actions_init(Pointer actions);
    int posix_spawn_file_actions_destroy(Pointer actions);
    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);
    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int fromFd);
    int posix_spawnattr_init(Pointer attr);
    int posix_spawnattr_destroy(Pointer attr);
    int posix_spawnattr_setflags(Pointer attr, short flags);
    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    int sigemptyset(Pointer set);
    int sigfillset(Pointer set);
}
