package io.corral.agent.backup;

import com.github.luben.zstd.Zstd;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.SparseFiles;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backups of servers' disk images in a directory (another disk, an NFS mount), content-addressed:
 * <pre>
 *   servers/ID/chunks/ab/abcdef…  a 1 MiB piece of the server's image, zstd-compressed, named by the SHA-256 of its content
 *   servers/ID/BID.json           a backup's manifest ({@link Manifest})
 *   servers/ID/BID.sha256         the SHA-256 of the manifest's bytes
 *   lock                          the store lock ({@link StoreLock})
 * </pre>
 * A chunk already among the server's is not written again, which makes every backup after the first incremental;
 * holes and chunks of zeros are stored as nothing. Each server's chunks are its own: shared with other servers'
 * (of other tenants), whether a backup found a chunk present would tell a customer whether someone else's
 * disk holds a given content; and a server's template files, the most two servers share, are not in its image. Every file is written under a temporary name, made durable,
 * then renamed, and a manifest last: a crash leaves no half backup that is listed. The image's content is the
 * customer's: it is only read, hashed, compressed and written back, never mounted or interpreted.
 */
public final class BackupStore {
    static final int CHUNK_BYTES = 1 << 20;
    /** At most this many per server in the store, whatever the panel's retention: each may hold a whole disk's chunks. */
    public static final int MAX_PER_SERVER = 64;
    /** What backups leave free on the store's file system: a backup is refused, or stops, rather than write into it. */
    static final long RESERVE_BYTES = 256L << 20;
    private static final int LEVEL = 3;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path root;
    private final StoreLock lock;

    public BackupStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.lock = new StoreLock(this.root.resolve("lock"));
    }

    public Path root() {
        return root;
    }

    /** The server's backups in the store, oldest first: also of a server this host no longer has. */
    public List<Backup> list(String serverId) {
        Path dir = serverDir(serverId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Backup> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = file.getFileName().toString();
                find(serverId, name.substring(0, name.length() - 5)).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(Backup::createdAt).thenComparing(Backup::id));
        return all;
    }

    public Optional<Backup> find(String serverId, String backupId) {
        if (!Files.exists(manifestFile(serverId, backupId))) {
            return Optional.empty();
        }
        byte[] bytes = read(manifestFile(serverId, backupId));
        return Optional.of(Backup.of(parse(bytes, backupId), sha256(bytes)));
    }

    /** The first host id of the source server's user range the backup's files belong to, or null. */
    public Long usersFirst(String serverId, String backupId) {
        return manifest(serverId, backupId).usersFirst();
    }

    /**
     * Backs up the image (which nothing may change meanwhile) as backup backupId of the server; an existing
     * backup of that id is answered as it is.
     */
    public Backup write(String serverId, String backupId, String template, Long usersFirst, Path image, long pauseMillis) {
        try (StoreLock.Held held = lock.shared()) {
            Optional<Backup> existing = find(serverId, backupId);
            if (existing.isPresent()) {
                return existing.get();
            }
            if (list(serverId).size() >= MAX_PER_SERVER) {
                throw AgentException.conflict("server " + serverId + " has " + MAX_PER_SERVER
                        + " backups in the store, the most a server may have; delete one first");
            }
            FileTrees.createPrivateDirectories(serverDir(serverId));
            FileStore disk = Files.getFileStore(serverDir(serverId));
            checkRoom(disk, serverId, backupId);
            long size;
            BitSet withData = new BitSet();
            int fd = SparseFiles.openForReading(image);
            try {
                size = SparseFiles.size(fd, image.toString());
                SparseFiles.forEachExtent(fd, size, image.toString(),
                        (offset, length) -> withData.set((int) (offset / CHUNK_BYTES), (int) ((offset + length - 1) / CHUNK_BYTES) + 1));
            } finally {
                Sys.close(fd);
            }
            List<Manifest.Chunk> chunks = new ArrayList<>();
            Set<Path> touchedDirs = new HashSet<>();
            int newChunks = 0;
            long storedBytes = 0;
            byte[] content = new byte[CHUNK_BYTES];
            byte[] compressed = new byte[(int) Zstd.compressBound(CHUNK_BYTES)];
            MessageDigest digest = sha256();
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
                for (int index = withData.nextSetBit(0); index >= 0; index = withData.nextSetBit(index + 1)) {
                    int length = (int) Math.min(CHUNK_BYTES, size - (long) index * CHUNK_BYTES);
                    readFully(in, content, length, (long) index * CHUNK_BYTES, image);
                    if (allZero(content, length)) {
                        continue;
                    }
                    digest.update(content, 0, length);
                    String name = HexFormat.of().formatHex(digest.digest());
                    Path chunk = chunkFile(serverId, name);
                    long stored;
                    if (Files.exists(chunk)) {
                        stored = Files.size(chunk);
                    } else {
                        checkRoom(disk, serverId, backupId);
                        long n = Zstd.compressByteArray(compressed, 0, compressed.length, content, 0, length, LEVEL);
                        if (Zstd.isError(n)) {
                            throw new IllegalStateException("zstd: compress chunk " + index + ": " + Zstd.getErrorName(n));
                        }
                        stored = n;
                        writeDurably(chunk, ByteBuffer.wrap(compressed, 0, (int) n));
                        touchedDirs.add(chunk.getParent());
                        newChunks++;
                        storedBytes += n;
                    }
                    chunks.add(new Manifest.Chunk(index, name, stored));
                }
            }
            for (Path dir : touchedDirs) {
                syncDirectory(dir);
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, serverId, backupId, template, usersFirst, Instant.now(), size,
                    CHUNK_BYTES, pauseMillis, newChunks, storedBytes, chunks);
            byte[] bytes = Json.MAPPER.writeValueAsBytes(manifest);
            String sha = sha256(bytes);
            writeDurably(shaFile(serverId, backupId), ByteBuffer.wrap((sha + "\n").getBytes(StandardCharsets.US_ASCII)));
            writeDurably(manifestFile(serverId, backupId), ByteBuffer.wrap(bytes));
            syncDirectory(serverDir(serverId));
            return Backup.of(manifest, sha);
        } catch (IOException e) {
            throw new UncheckedIOException("back up " + image + " as " + backupId + ": " + e.getMessage(), e);
        }
    }

    /** Refuses (409) a chunk that would leave the store's file system with less than its reserve free. */
    private static void checkRoom(FileStore disk, String serverId, String backupId) throws IOException {
        long free = disk.getUsableSpace();
        if (free < RESERVE_BYTES + CHUNK_BYTES) {
            throw AgentException.conflict("backup " + backupId + " of server " + serverId + " stopped: the backup store has "
                    + (free >> 20) + " MiB free, and " + (RESERVE_BYTES >> 20) + " MiB of it stay free");
        }
    }

    /**
     * Writes the backup's image as a new file target, checking the manifest's SHA-256 and every chunk's; the
     * first mismatch stops it with a refusal naming the chunk (the caller deletes target).
     */
    public void restore(String serverId, String backupId, Path target) {
        try (StoreLock.Held held = lock.shared()) {
            Manifest manifest = manifest(serverId, backupId);
            byte[] compressed = new byte[(int) Zstd.compressBound(CHUNK_BYTES)];
            byte[] content = new byte[CHUNK_BYTES];
            MessageDigest digest = sha256();
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                file.setLength(manifest.diskBytes());
                FileChannel out = file.getChannel();
                for (Manifest.Chunk chunk : manifest.chunks()) {
                    int length = (int) Math.min(CHUNK_BYTES, manifest.diskBytes() - chunk.index() * CHUNK_BYTES);
                    Path stored = chunkFile(serverId, chunk.sha256());
                    if (!Files.exists(stored)) {
                        throw refused(backupId, "chunk " + chunk.index() + " (" + chunk.sha256() + ") is missing from the store");
                    }
                    long storedSize = Files.size(stored);
                    if (storedSize > compressed.length) {
                        throw refused(backupId, "chunk " + chunk.index() + " is " + storedSize + " bytes, more than a chunk compresses to");
                    }
                    int n = readFully(stored, compressed);
                    long size = Zstd.decompressByteArray(content, 0, content.length, compressed, 0, n);
                    if (Zstd.isError(size)) {
                        throw refused(backupId, "chunk " + chunk.index() + " cannot be decompressed: " + Zstd.getErrorName(size));
                    }
                    digest.update(content, 0, (int) size);
                    String sha = HexFormat.of().formatHex(digest.digest());
                    if (size != length || !sha.equals(chunk.sha256())) {
                        throw refused(backupId, "chunk " + chunk.index() + " should be " + length + " bytes with SHA-256 "
                                + chunk.sha256() + ", the store's holds " + size + " bytes with SHA-256 " + sha);
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
                    long position = chunk.index() * CHUNK_BYTES;
                    while (buffer.hasRemaining()) {
                        position += out.write(buffer, position);
                    }
                }
                out.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restore backup " + backupId + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of data restoring the backup writes (its non-empty chunks), and its image's size. */
    public long dataBytes(String serverId, String backupId) {
        return manifest(serverId, backupId).chunks().size() * (long) CHUNK_BYTES;
    }

    public long diskBytes(String serverId, String backupId) {
        return manifest(serverId, backupId).diskBytes();
    }

    public String template(String serverId, String backupId) {
        return manifest(serverId, backupId).template();
    }

    /**
     * Removes the backup, then every chunk of the server's that no remaining manifest references (and work files
     * a crash left), holding the store alone; nothing if the backup is absent.
     */
    public void delete(String serverId, String backupId) {
        Path dir = serverDir(serverId);
        try (StoreLock.Held held = lock.exclusive()) {
            Files.deleteIfExists(manifestFile(serverId, backupId));
            Files.deleteIfExists(shaFile(serverId, backupId));
            if (!Files.isDirectory(dir)) {
                return;
            }
            Set<String> referenced = new HashSet<>();
            List<Path> manifests;
            try (Stream<Path> files = Files.list(dir)) {
                manifests = files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
            }
            if (manifests.isEmpty()) {
                FileTrees.delete(dir); // the server's last backup: its chunks go with it
                return;
            }
            for (Path file : manifests) {
                for (Manifest.Chunk chunk : Json.MAPPER.readValue(file.toFile(), Manifest.class).chunks()) {
                    referenced.add(chunk.sha256());
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    boolean chunk = file.getParent().getParent().equals(dir.resolve("chunks"));
                    if (name.contains(".tmp-") || (chunk && !referenced.contains(name))) {
                        Files.delete(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("delete backup " + backupId + " of " + serverId + ": " + e.getMessage(), e);
        }
    }

    /** The manifest, checked against its recorded SHA-256 and for what a restore relies on. */
    private Manifest manifest(String serverId, String backupId) {
        Path file = manifestFile(serverId, backupId);
        if (!Files.exists(file)) {
            throw new AgentException(AgentException.Kind.NOT_FOUND, "backupId", "backup " + backupId + " of server " + serverId + " does not exist");
        }
        byte[] bytes = read(file);
        String recorded = Files.exists(shaFile(serverId, backupId)) ? new String(read(shaFile(serverId, backupId)), StandardCharsets.US_ASCII).trim() : "none";
        String actual = sha256(bytes);
        if (!actual.equals(recorded)) {
            throw refused(backupId, "its manifest's SHA-256 is " + actual + ", recorded as " + recorded);
        }
        Manifest m = parse(bytes, backupId);
        if (m.format() != Manifest.FORMAT || m.chunkBytes() != CHUNK_BYTES || !backupId.equals(m.backupId()) || !serverId.equals(m.serverId())
                || m.diskBytes() < 0) {
            throw refused(backupId, "its manifest is not one this agent writes (format " + m.format() + ", chunks of "
                    + m.chunkBytes() + " bytes, of " + m.serverId() + "/" + m.backupId() + ")");
        }
        long previous = -1;
        for (Manifest.Chunk chunk : m.chunks()) {
            if (chunk.index() <= previous || chunk.index() >= (m.diskBytes() + CHUNK_BYTES - 1) / CHUNK_BYTES
                    || !SHA256.matcher(chunk.sha256()).matches()) {
                throw refused(backupId, "its manifest lists chunk " + chunk.index() + " out of order, past the disk's end or without a SHA-256");
            }
            previous = chunk.index();
        }
        return m;
    }

    private static Manifest parse(byte[] bytes, String backupId) {
        try {
            return Json.MAPPER.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw refused(backupId, "its manifest cannot be read: " + e.getMessage());
        }
    }

    private static AgentException refused(String backupId, String reason) {
        return AgentException.unusable("backupId", "backup " + backupId + " failed its checksum: " + reason);
    }

    private Path serverDir(String serverId) {
        return root.resolve("servers").resolve(serverId);
    }

    private Path manifestFile(String serverId, String backupId) {
        return serverDir(serverId).resolve(backupId + ".json");
    }

    private Path shaFile(String serverId, String backupId) {
        return serverDir(serverId).resolve(backupId + ".sha256");
    }

    private Path chunkFile(String serverId, String sha) {
        return serverDir(serverId).resolve("chunks").resolve(sha.substring(0, 2)).resolve(sha);
    }

    /** Written under a temporary name, made durable, then renamed into place. */
    private static void writeDurably(Path file, ByteBuffer bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path work = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try (FileChannel out = FileChannel.open(work, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(work);
            throw e;
        }
        Files.move(work, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void readFully(FileChannel in, byte[] into, int length, long position, Path what) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                throw new IOException(what + " ended at " + (position + buffer.position()) + ", before its size");
            }
        }
    }

    /** The whole file into buffer (which it must fit); returns its length. */
    private static int readFully(Path file, byte[] buffer) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer into = ByteBuffer.wrap(buffer);
            while (into.hasRemaining() && in.read(into) >= 0) {
                // until the end or the buffer is full
            }
            return into.position();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean allZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
