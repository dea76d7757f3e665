package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lock per server, tagged with the action that holds it. It is a file lock too, so the CLI and
 * a running agent on the same host never act on one server at once. A second action is refused
 * at once with "busy running <action>" rather than queued.
 */
final class ServerLock {
    private final StateDir state;
    private final ConcurrentHashMap<String, String> held = new ConcurrentHashMap<>();

    ServerLock(StateDir state) {
        this.state = state;
    }

    Held acquire(String id, Action action) {
        String running = held.putIfAbsent(id, action.name());
        if (running != null) {
            throw busy(id, running);
        }
        try {
            Files.createDirectories(state.locks());
            Path file = state.locks().resolve(id + ".lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                if (channel.tryLock() == null) {
                    String other = Files.readString(file).trim();
                    throw busy(id, other.isEmpty() ? "an action in another process" : other);
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(action.name().getBytes(StandardCharsets.UTF_8)));
                return new Held(id, file, channel);
            } catch (IOException | RuntimeException e) {
                channel.close(); // not held: its descriptor goes too
                throw e;
            }
        } catch (IOException e) {
            held.remove(id);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            held.remove(id);
            throw e;
        }
    }

    /**
     * As {@link #acquire}, waiting up to patience for an action that holds the server to end (checked every 20 ms),
     * for reads that should not fail only because a change of a moment ago is still being applied.
     */
    Held await(String id, Action action, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return acquire(id, action);
            } catch (AgentException e) {
                if (e.kind() != AgentException.Kind.CONFLICT || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AgentException.conflict("server " + id + " is busy; interrupted while waiting for it");
            }
        }
    }

    private static AgentException busy(String id, String action) {
        return AgentException.conflict("server " + id + " is busy running " + action + "; try again when it has finished");
    }

    final class Held implements AutoCloseable {
        private final String id;
        private final Path file;
        private final FileChannel channel;
        private boolean deleteOnClose;

        private Held(String id, Path file, FileChannel channel) {
            this.id = id;
            this.file = file;
            this.channel = channel;
        }

        /** The server is gone: drop its lock file as well. */
        void deleteOnClose() {
            deleteOnClose = true;
        }

        @Override
        public void close() {
            try {
                if (deleteOnClose) {
                    Files.deleteIfExists(file);
                } else {
                    channel.truncate(0);
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                held.remove(id);
            }
        }
    }
}
