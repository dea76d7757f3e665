package io.corral.agent.backup;

import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store-wide lock: backups and restores share it, removing a backup (which deletes the chunks no manifest
 * references) holds it alone, so a backup never counts on a chunk that is being deleted. Within this agent a
 * read-write lock; across agents sharing the store (an NFS mount), a lock on the store's lock file: each
 * sharer locks a byte of its own (the JDK refuses overlapping locks within one process), the remover the whole file.
 */
final class StoreLock {
    private final Path file;
    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();
    private final AtomicLong nextByte = new AtomicLong();

    StoreLock(Path file) {
        this.file = file;
    }

    Held shared() {
        return take(local.readLock(), nextByte.getAndIncrement(), 1, true);
    }

    Held exclusive() {
        return take(local.writeLock(), 0, Long.MAX_VALUE, false);
    }

    private Held take(Lock inProcess, long position, long size, boolean shared) {
        inProcess.lock();
        try {
            FileTrees.createPrivateDirectories(file.getParent()); // the store, made at its first use
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                return new Held(inProcess, channel, channel.lock(position, size, shared));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            inProcess.unlock();
            throw new UncheckedIOException("lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    record Held(Lock inProcess, FileChannel channel, FileLock lock) implements StoreObjects.Held {
        @Override
        public void close() {
            try {
                channel.close(); // releases the file lock
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                inProcess.unlock();
            }
        }
    }
}
