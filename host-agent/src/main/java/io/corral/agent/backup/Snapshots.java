package io.corral.agent.backup;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The snapshots of one server: in its directory (so destroy removes them and reinstall keeps them), each an
 * image ID.img and its record ID.json. The record is written last: a snapshot without one (a crash in
 * between) is not listed, and its files are removed at the server's next snapshot or backup.
 */
public final class Snapshots {
    /** At most this many per server, whatever the panel allows: each is a copy of the server's data on this host. */
    public static final int MAX_PER_SERVER = 16;
    private final Path dir;

    public Snapshots(Path dir) {
        this.dir = dir;
    }

    public List<Snapshot> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Snapshot> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                all.add(Json.MAPPER.readValue(file.toFile(), Snapshot.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list snapshots in " + dir + ": " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(Snapshot::createdAt).thenComparing(Snapshot::id));
        return all;
    }

    public Optional<Snapshot> find(String id) {
        Path record = record(id);
        if (!Files.exists(record)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(record.toFile(), Snapshot.class));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + record + ": " + e.getMessage(), e);
        }
    }

    public Snapshot get(String serverId, String id) {
        return find(id).orElseThrow(() -> AgentException.notFound("snapshot " + id + " of server " + serverId));
    }

    public Path image(String id) {
        return dir.resolve(id + ".img");
    }

    /** A work file of an action under way, removed by {@link #clearWork} if the agent dies before it does. */
    public Path work(String name) {
        return dir.resolve(name + ".tmp");
    }

    /** The directory made (root's alone) and what an interrupted action left removed, under the server's lock. */
    public void clearWork() {
        FileTrees.createPrivateDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean recorded = name.endsWith(".img") && Files.exists(record(name.substring(0, name.length() - 4)));
                boolean regular = Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (regular && (name.endsWith(".tmp") || (name.endsWith(".img") && !recorded))) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("clear " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Records a snapshot whose image is in place: from now on it is listed. */
    public void save(Snapshot snapshot) {
        Path work = work(snapshot.id() + ".json");
        try {
            Files.write(work, Json.MAPPER.writeValueAsBytes(snapshot));
            Files.move(work, record(snapshot.id()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("save snapshot " + snapshot.id() + ": " + e.getMessage(), e);
        }
    }

    /** Removes the snapshot (its record first, so a half-removed one is not listed); nothing if it is absent. */
    public void delete(String id) {
        try {
            Files.deleteIfExists(record(id));
            Files.deleteIfExists(image(id));
        } catch (IOException e) {
            throw new UncheckedIOException("delete snapshot " + id + ": " + e.getMessage(), e);
        }
    }

    private Path record(String id) {
        return dir.resolve(id + ".json");
    }
}
