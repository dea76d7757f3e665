package io.corral.agent.backup;

import com.github.luben.zstd.Zstd;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Backups of servers' disk images, content-addressed, in a store's objects ({@link StoreObjects}: a directory or
 * an S3-compatible bucket):
 * <pre>
 *   servers/ID/chunks/ab/abcdef…  a 1 MiB piece of the server's image, zstd-compressed, named by the SHA-256 of its content
 *   servers/ID/BID.json           a backup's manifest ({@link Manifest})
 *   servers/ID/BID.sha256         the SHA-256 of the manifest's bytes
 * </pre>
 * A chunk already among the server's is not written again, which makes every backup after the first incremental;
 * holes and chunks of zeros are stored as nothing. Each server's chunks are its own: shared with other servers'
 * (of other tenants), whether a backup found a chunk present would tell a customer whether someone else's
 * disk holds a given content; and a server's template files, the most two servers share, are not in its image.
 * The chunks are written first, then the manifest's checksum, the manifest last: a crash leaves no half backup
 * that is listed. The image's content is the customer's: it is only read, hashed, compressed and written back,
 * never mounted or interpreted.
 */
public final class BackupStore {
    static final int CHUNK_BYTES = 1 << 20;
    /** At most this many per server in the store, whatever the panel's retention: each may hold a whole disk's chunks. */
    public static final int MAX_PER_SERVER = 64;
    /**
     * At most this many chunks per server in the store (256 GiB of distinct image data in its backups): a backup and a
     * deletion hold the list of them in memory (some 200 bytes each), so a customer writing new data between backups
     * cannot make the agent hold more.
     */
    public static final int MAX_CHUNKS_PER_SERVER = 1 << 18;
    /** What a listing of a server's objects may hold: its chunks, its manifests and checksums, and work files a crash left. */
    private static final int MOST_LISTED = MAX_CHUNKS_PER_SERVER + 2 * MAX_PER_SERVER + 4096;
    private static final int LEVEL = 3;
    private static final Pattern CHUNK_KEY = Pattern.compile("/chunks/[0-9a-f]{2}/[0-9a-f]{64}$");
    private final StoreObjects objects;

    public BackupStore(StoreObjects objects) {
        this.objects = objects;
    }

    public BackupStore(Path dir) {
        this(new DirectoryObjects(dir));
    }

    public StoreObjects objects() {
        return objects;
    }

    /**
     * What the server's backups take in the store: the compressed bytes of its chunks, each counted once however many
     * backups share it (deleting the backup that wrote a chunk leaves it to the later ones that use it), so what it is
     * billed for. Work files a crash left are not counted.
     */
    public long storedBytes(String serverId) {
        return objects.tree(serverDir(serverId) + "chunks/", MOST_LISTED).entrySet().stream().filter(e -> CHUNK_KEY.matcher(e.getKey()).find())
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The server's backups in the store, oldest first: also of a server this host no longer has. */
    public List<Backup> list(String serverId) {
        List<Backup> all = new ArrayList<>();
        for (String key : manifests(serverId)) {
            String name = key.substring(serverDir(serverId).length());
            find(serverId, name.substring(0, name.length() - ".json".length())).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(Backup::createdAt).thenComparing(Backup::id));
        return all;
    }

    public Optional<Backup> find(String serverId, String backupId) {
        return objects.get(manifestKey(serverId, backupId)).map(bytes -> Backup.of(Manifest.parse(bytes, backupId), Sha256.of(bytes)));
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
        String what = "backup " + backupId + " of server " + serverId;
        try (StoreObjects.Held held = objects.shared()) {
            Optional<Backup> existing = find(serverId, backupId);
            if (existing.isPresent()) {
                return existing.get();
            }
            if (manifests(serverId).size() >= MAX_PER_SERVER) {
                throw AgentException.conflict("server " + serverId + " has " + MAX_PER_SERVER
                        + " backups in the store, the most a server may have; delete one first");
            }
            objects.checkRoom(what);
            // the server's chunks, listed once: the backup writes only those not among them
            Map<String, Long> stored = objects.tree(serverDir(serverId) + "chunks/", MOST_LISTED);
            List<Manifest.Chunk> chunks = new ArrayList<>();
            long[] written = new long[2]; // new chunks, their bytes
            byte[] compressed = new byte[(int) Zstd.compressBound(CHUNK_BYTES)];
            MessageDigest digest = Sha256.digest();
            long size = ImageChunks.forEach(image, (index, content, length) -> {
                digest.update(content, 0, length);
                String sha = Sha256.hex(digest);
                String key = chunkKey(serverId, sha);
                Long present = stored.get(key);
                if (present == null) {
                    if (stored.size() >= MAX_CHUNKS_PER_SERVER) {
                        throw AgentException.conflict("server " + serverId + "'s backups hold " + MAX_CHUNKS_PER_SERVER
                                + " chunks in the store (1 MiB of its disk each), the most a server's may; delete older backups first");
                    }
                    objects.checkRoom(what);
                    long n = Zstd.compressByteArray(compressed, 0, compressed.length, content, 0, length, LEVEL);
                    if (Zstd.isError(n)) {
                        throw new IllegalStateException("zstd: compress chunk " + index + ": " + Zstd.getErrorName(n));
                    }
                    objects.put(key, compressed, (int) n);
                    present = n;
                    stored.put(key, n);
                    written[0]++;
                    written[1] += n;
                }
                chunks.add(new Manifest.Chunk(index, sha, present));
            });
            Manifest manifest = new Manifest(Manifest.FORMAT, serverId, backupId, template, usersFirst, Instant.now(), size,
                    CHUNK_BYTES, pauseMillis, (int) written[0], written[1], chunks);
            byte[] bytes = Json.MAPPER.writeValueAsBytes(manifest);
            String sha = Sha256.of(bytes);
            byte[] shaLine = (sha + "\n").getBytes(StandardCharsets.US_ASCII);
            objects.put(shaKey(serverId, backupId), shaLine, shaLine.length);
            objects.put(manifestKey(serverId, backupId), bytes, bytes.length);
            return Backup.of(manifest, sha);
        } catch (IOException e) {
            throw new UncheckedIOException("back up " + image + " as " + backupId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the backup's image as a new file target, checking the manifest's SHA-256 and every chunk's; the
     * first mismatch stops it with a refusal naming the chunk (the caller deletes target).
     */
    public void restore(String serverId, String backupId, Path target) {
        try (StoreObjects.Held held = objects.shared()) {
            Manifest manifest = manifest(serverId, backupId);
            byte[] compressed = new byte[(int) Zstd.compressBound(CHUNK_BYTES)];
            byte[] content = new byte[CHUNK_BYTES];
            MessageDigest digest = Sha256.digest();
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
                file.setLength(manifest.diskBytes());
                FileChannel out = file.getChannel();
                for (Manifest.Chunk chunk : manifest.chunks()) {
                    int length = (int) Math.min(CHUNK_BYTES, manifest.diskBytes() - chunk.index() * CHUNK_BYTES);
                    long storedSize = objects.read(chunkKey(serverId, chunk.sha256()), compressed);
                    if (storedSize < 0) {
                        throw Manifest.refused(backupId, "chunk " + chunk.index() + " (" + chunk.sha256() + ") is missing from the store");
                    }
                    if (storedSize > compressed.length) {
                        throw Manifest.refused(backupId, "chunk " + chunk.index() + " is " + storedSize + " bytes, more than a chunk compresses to");
                    }
                    long size = Zstd.decompressByteArray(content, 0, content.length, compressed, 0, (int) storedSize);
                    if (Zstd.isError(size)) {
                        throw Manifest.refused(backupId, "chunk " + chunk.index() + " cannot be decompressed: " + Zstd.getErrorName(size));
                    }
                    digest.update(content, 0, (int) size);
                    String sha = Sha256.hex(digest);
                    if (size != length || !sha.equals(chunk.sha256())) {
                        throw Manifest.refused(backupId, "chunk " + chunk.index() + " should be " + length + " bytes with SHA-256 "
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
     * Removes the backup's manifest (then its checksum), then everything of the server's that is neither a
     * remaining manifest, its checksum, nor a chunk one references (work files a crash left, the checksum of a
     * backup never finished); with its last backup, all of the server's. Holds the store alone; nothing if the
     * backup is absent.
     */
    public void delete(String serverId, String backupId) {
        String dir = serverDir(serverId);
        try (StoreObjects.Held held = objects.exclusive()) {
            objects.delete(List.of(manifestKey(serverId, backupId)));
            objects.delete(List.of(shaKey(serverId, backupId)));
            List<String> manifests = manifests(serverId);
            if (manifests.isEmpty()) {
                objects.deleteTree(dir); // the server's last backup: its chunks go with it
                return;
            }
            Set<String> kept = new HashSet<>();
            for (String key : manifests) {
                byte[] bytes = objects.get(key).orElseThrow(() -> new IllegalStateException(key + " was deleted meanwhile"));
                String id = key.substring(dir.length(), key.length() - ".json".length());
                kept.add(key);
                kept.add(shaKey(serverId, id));
                for (Manifest.Chunk chunk : Json.MAPPER.readValue(bytes, Manifest.class).chunks()) {
                    kept.add(chunkKey(serverId, chunk.sha256()));
                }
            }
            objects.delete(objects.tree(dir, MOST_LISTED).keySet().stream().filter(key -> !kept.contains(key)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("delete backup " + backupId + " of " + serverId + " in " + objects.where() + ": " + e.getMessage(), e);
        }
    }

    /** The manifest, checked against its recorded SHA-256 and for what a restore relies on. */
    private Manifest manifest(String serverId, String backupId) {
        byte[] bytes = objects.get(manifestKey(serverId, backupId)).orElseThrow(() -> new AgentException(AgentException.Kind.NOT_FOUND,
                "backupId", "backup " + backupId + " of server " + serverId + " does not exist"));
        String recorded = objects.get(shaKey(serverId, backupId)).map(b -> new String(b, StandardCharsets.US_ASCII).trim()).orElse("none");
        return Manifest.checked(bytes, recorded, serverId, backupId);
    }

    /** The keys of the server's manifests. */
    private List<String> manifests(String serverId) {
        return objects.files(serverDir(serverId), MOST_LISTED).keySet().stream().filter(key -> key.endsWith(".json")).toList();
    }

    private static String serverDir(String serverId) {
        return "servers/" + serverId + "/";
    }

    private static String manifestKey(String serverId, String backupId) {
        return serverDir(serverId) + backupId + ".json";
    }

    private static String shaKey(String serverId, String backupId) {
        return serverDir(serverId) + backupId + ".sha256";
    }

    private static String chunkKey(String serverId, String sha) {
        return serverDir(serverId) + "chunks/" + sha.substring(0, 2) + "/" + sha;
    }
}
