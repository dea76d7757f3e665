package io.corral.agent.sys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Kernel files read again and again (a server's cgroup counters, every sampling round) through
 * descriptors kept open: opening a cgroup file costs more in the kernel than reading it. A
 * descriptor whose group was removed reads ENODEV and is opened afresh; removing a group closes its
 * descriptors first ({@link #forgetUnder}). Past {@link #MOST_OPEN} descriptors, files are opened
 * for each read instead, so many servers cannot exhaust the agent's descriptor limit. Closing takes
 * the write side of a lock that reads hold the read side of: a descriptor is never closed (and its
 * number reused by another file) while it is being read.
 */
public final class KernelFiles {
    static final int MOST_OPEN = 8192;
    private static final Map<String, Integer> OPEN = new ConcurrentHashMap<>();
    private static final ReentrantReadWriteLock CLOSING = new ReentrantReadWriteLock();

    private KernelFiles() {
    }

    /** The file's text, or null if it does not exist. */
    public static String read(String path) {
        for (int attempt = 0; attempt < 2; attempt++) {
            int stale;
            CLOSING.readLock().lock();
            try {
                Integer fd = OPEN.get(path);
                if (fd == null) {
                    if (OPEN.size() >= MOST_OPEN) {
                        return Sys.readSmallFile(path);
                    }
                    int opened = Sys.openForReading(path);
                    if (opened < 0) {
                        return null;
                    }
                    Integer raced = OPEN.putIfAbsent(path, opened);
                    if (raced != null) {
                        Sys.close(opened);
                    }
                    fd = raced != null ? raced : opened;
                }
                try {
                    return Sys.readSmallFile(fd, path);
                } catch (SysCallException e) {
                    if (e.errno() != Errno.ENODEV) {
                        throw e;
                    }
                    stale = fd; // the group was removed (and perhaps made anew) behind this descriptor
                }
            } finally {
                CLOSING.readLock().unlock();
            }
            close(path, stale);
        }
        return Sys.readSmallFile(path);
    }

    private static void close(String path, int fd) {
        CLOSING.writeLock().lock();
        try {
            if (OPEN.remove(path, fd)) {
                Sys.close(fd);
            }
        } finally {
            CLOSING.writeLock().unlock();
        }
    }

    /** Closes the descriptors of every file beneath the directory, before it is removed. */
    public static void forgetUnder(String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        for (Map.Entry<String, Integer> e : OPEN.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                close(e.getKey(), e.getValue());
            }
        }
    }
}
