package io.corral.agent.server;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Server specs on local disk, each written atomically and durably before it is acknowledged. */
final class SpecStore {
    private final StateDir state;

    SpecStore(StateDir state) {
        this.state = state;
    }

    Optional<ServerSpec> find(String id) {
        Path file = ServerPaths.of(state, id).spec();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), ServerSpec.class));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    ServerSpec get(String id) {
        return find(id).orElseThrow(() -> AgentException.notFound("server " + id));
    }

    void save(ServerSpec spec) {
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

    /** Ids of every server directory, including half-created ones. */
    List<String> ids() {
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
