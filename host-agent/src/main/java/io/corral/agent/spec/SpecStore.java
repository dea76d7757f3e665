package io.corral.agent.spec;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.filesystem.ServerPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Server specs on local disk, each written atomically and durably before it is acknowledged. */
public final class SpecStore {
    private final StateDir state;
    /** Specs as last read, so the sampler does not parse every spec every round. */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    public SpecStore(StateDir state) {
        this.state = state;
    }

    public Optional<ServerSpec> find(String id) {
        Path file = ServerPaths.of(state, id).spec();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
        // Every save is a new file (written aside, then renamed over): the same file and time is the same spec.
        Version version = new Version(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        Parsed known = parsed.get(id);
        if (known != null && known.version.equals(version)) {
            return Optional.of(known.spec);
        }
        try {
            ServerSpec spec = Json.MAPPER.readValue(file.toFile(), ServerSpec.class);
            parsed.put(id, new Parsed(version, spec));
            return Optional.of(spec);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Version(Object fileKey, FileTime modified, long size) {
    }

    private record Parsed(Version version, ServerSpec spec) {
    }

    public ServerSpec get(String id) {
        return find(id).orElseThrow(() -> AgentException.notFound("server " + id));
    }

    public void save(ServerSpec spec) {
        Path file = ServerPaths.of(state, spec.id()).spec();
        Path tmp = file.resolveSibling("spec.json.tmp");
        try {
            Files.write(tmp, Json.MAPPER.writeValueAsBytes(spec));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The specs of the servers whose creation has finished. */
    public List<ServerSpec> all() {
        List<ServerSpec> all = new ArrayList<>();
        for (String id : ids()) {
            if (!Files.exists(ServerPaths.of(state, id).creating())) {
                find(id).ifPresent(all::add);
            }
        }
        return all;
    }

    /** Ids of every server directory, including half-created ones. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(state.servers())) {
            return ids;
        }
        try (Stream<Path> dirs = Files.list(state.servers())) {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(ids::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }
}
