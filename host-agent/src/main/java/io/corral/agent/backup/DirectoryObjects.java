package io.corral.agent.backup;

import io.corral.agent.AgentException;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The store's objects as files under a directory (another disk, an NFS mount): each written under a temporary
 * name, fsynced, renamed into place and its directory fsynced, so a put that returned survives a crash and a
 * crash never leaves a half file under an object's name (work files it leaves end in ".tmp-…", and go at the
 * server's next deletion). Locked with {@link StoreLock}, which other agents sharing the directory honour too.
 */
public final class DirectoryObjects implements StoreObjects {
    /** What backups leave free on the store's file system: a backup is refused, or stops, rather than write into it. */
    static final long RESERVE_BYTES = 256L << 20;
    private final Path root;
    private final StoreLock lock;
    /** The root's file system, found once: Files.getFileStore reads the mount table, too slow to do per chunk. */
    private volatile FileStore disk;

    public DirectoryObjects(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.lock = new StoreLock(this.root.resolve("lock"));
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long read(String key, byte[] into) {
        try (FileChannel in = FileChannel.open(path(key), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(into);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // until the end or the buffer is full
            }
            return in.size();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, int length) {
        Path file = path(key);
        Path work = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            if (!Files.isDirectory(file.getParent())) {
                FileTrees.createPrivateDirectories(file.getParent());
            }
            try (FileChannel out = FileChannel.open(work, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(work, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true); // the rename itself made durable
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(work);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> files(String dir, int most) {
        return list(dir, 1, most);
    }

    @Override
    public Map<String, Long> tree(String dir, int most) {
        return list(dir, Integer.MAX_VALUE, most);
    }

    private Map<String, Long> list(String dir, int depth, int most) {
        Map<String, Long> all = new TreeMap<>();
        if (!Files.isDirectory(path(dir))) {
            return all;
        }
        try (Stream<Path> files = Files.walk(path(dir), depth)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (all.size() == most) {
                    throw StoreObjects.tooMany(dir, most, where());
                }
                all.put(root.relativize(file).toString(), Files.size(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + path(dir) + ": " + e.getMessage(), e);
        }
        return all;
    }

    @Override
    public void delete(List<String> keys) {
        for (String key : keys) {
            try {
                Files.deleteIfExists(path(key));
            } catch (IOException e) {
                throw new UncheckedIOException("delete " + path(key) + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void deleteTree(String dir) {
        FileTrees.delete(path(dir));
    }

    @Override
    public Held shared() {
        return lock.shared();
    }

    @Override
    public Held exclusive() {
        return lock.exclusive();
    }

    /** Refuses a chunk that would leave the store's file system with less than its reserve free. */
    @Override
    public void checkRoom(String what) {
        long free;
        try {
            if (disk == null) {
                disk = Files.getFileStore(root);
            }
            free = disk.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("free space of " + root + ": " + e.getMessage(), e);
        }
        if (free < RESERVE_BYTES + BackupStore.CHUNK_BYTES) {
            throw AgentException.conflict(what + " stopped: the backup store has " + (free >> 20) + " MiB free, and "
                    + (RESERVE_BYTES >> 20) + " MiB of it stay free");
        }
    }

    @Override
    public String where() {
        return root.toString();
    }

    private Path path(String key) {
        return root.resolve(key);
    }
}
