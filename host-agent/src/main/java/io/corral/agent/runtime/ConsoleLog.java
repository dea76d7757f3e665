package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.containment.UserRange;
import io.corral.agent.sys.Pipes;
import io.corral.agent.sys.Processes;
import io.corral.agent.sys.Sys;
import io.corral.agent.sys.SysCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's console log: what its init, and every process that inherits init's stdout and stderr,
 * writes, with a line from the agent at each boot and for a boot that failed. corral-enter's console
 * mode (src/main/c/console.c) keeps it: a relay that reads the pipe init writes to into a ring file of
 * {@link #RING} bytes, in the server's cgroups, for as long as any writer holds the pipe, whether the
 * agent runs or not. The agent only starts relays and reads the file, whose layout console.c describes.
 */
public final class ConsoleLog {
    /** The ring's size, the log's cap; the file adds a header page. Both as in console.c. */
    public static final int HEADER = 4096, RING = 1024 * 1024;
    /** The most one read of the relay writes at once: the bytes just before it may be overwritten meanwhile. */
    private static final int CHUNK = 65536;
    /** How much of the log's end a reader can trust. */
    public static final int KEPT = RING - CHUNK;
    /** The most one request reads. */
    public static final int MAX_READ = 65536;
    private static final byte[] MAGIC = "corral1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 1000;
    /** How long the agent waits for a relay of its own note to write it and go. */
    private static final long NOTE_WAIT_MILLIS = 5000;
    /** The relays this agent started, by server group, collected once they end. */
    private static final Map<String, Integer> RELAYS = new ConcurrentHashMap<>();

    private ConsoleLog() {
    }

    /**
     * Bytes of the log from offset from to next, and start: the oldest offset still kept. Offsets count
     * every byte ever written, so a client asks again with after = next.
     */
    public record Chunk(long start, long from, long next, byte[] data) {
    }

    /**
     * Starts the relay of a boot, in the server's cgroups (joins: their files), and returns the pipe to
     * it: init's stdout and stderr, and the agent's own lines meanwhile. The pipe belongs to the root of
     * the server's range (users; null: host root), so that its processes may open it again by
     * /proc/1/fd/1 or /dev/stdout as any root may its own init's stdout.
     */
    public static Pipe open(Path file, String group, List<Path> joins, UserRange users) {
        reap(group);
        Pipe pipe = start(file, joins);
        RELAYS.put(group, pipe.relay);
        if (users != null) {
            try {
                Path end = Path.of("/proc/self/fd/" + pipe.fd); // the pipe itself, through its magic link
                Files.setAttribute(end, "unix:uid", (int) users.first());
                Files.setAttribute(end, "unix:gid", (int) users.first());
            } catch (IOException e) {
                pipe.close();
                throw AgentException.failed("give the console's pipe to the server's root: " + e.getMessage(), e);
            }
        }
        return pipe;
    }

    /** Adds the agent's line to the log of a server that has no relay running (its boot failed before one could start). */
    public static void note(Path file, String line) {
        Pipe pipe = start(file, List.of());
        pipe.say(line);
        pipe.close();
        long deadline = System.currentTimeMillis() + NOTE_WAIT_MILLIS;
        int ended = Processes.pidfd(pipe.relay);
        try {
            if (!Pipes.pollReadable(new int[] {ended}, Math.max(0, deadline - System.currentTimeMillis()))[0]) {
                Processes.kill(pipe.relay, Processes.SIGKILL);
            }
        } finally {
            Sys.close(ended);
            Processes.awaitExit(pipe.relay);
        }
    }

    /** Collects the server's relay once it has ended (the last of the server's processes holding its pipe is gone). */
    static void reap(String group) {
        Integer relay = RELAYS.get(group);
        if (relay != null && InitProcess.read(relay).isEmpty()) {
            Processes.reap(relay);
            RELAYS.remove(group, relay);
        }
    }

    private static Pipe start(Path file, List<Path> joins) {
        int log = openLog(file);
        int[] data = Pipes.pipe(), errors = Pipes.pipe();
        List<String> args = new ArrayList<>(List.of("console"));
        joins.forEach(j -> args.addAll(List.of("-j", j.toString())));
        int relay;
        try {
            relay = EnterHelper.spawn(args, List.of(), data[0], log, errors[1]);
        } catch (RuntimeException e) {
            Sys.close(data[1]);
            Sys.close(errors[0]);
            throw e;
        } finally {
            Sys.close(data[0]);
            Sys.close(log);
            Sys.close(errors[1]);
        }
        // the relay closes its stderr once it is ready; before that, an error from its steps comes through it
        String error = Pipes.readAll(errors[0]).trim();
        Sys.close(errors[0]);
        if (!error.isEmpty()) {
            Sys.close(data[1]);
            Processes.awaitExit(relay);
            throw AgentException.failed("the console log " + file + " could not be kept: " + error, null);
        }
        return new Pipe(data[1], relay);
    }

    private static int openLog(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw AgentException.failed("make the console log " + file + ": " + e.getMessage(), e);
        }
        return Sys.open(file.toString(), Sys.O_RDWR);
    }

    /**
     * Reads at most limit bytes of the log after the offset after (null: the last limit bytes); bytes
     * overwritten since are skipped, so from may lie beyond after. A server that never booted has an empty log.
     */
    public static Chunk read(Path file, Long after, int limit) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = written(channel);
            long start = Math.max(0, end - KEPT);
            long from = after == null ? Math.max(start, end - limit) : Math.min(Math.max(after, start), end);
            byte[] data = new byte[(int) (Math.min(end, from + limit) - from)];
            readRing(channel, from, data);
            // what the relay may have overwritten while this read
            long kept = Math.max(0, written(channel) - KEPT);
            if (kept > from) {
                int lost = (int) Math.min(data.length, kept - from);
                data = Arrays.copyOfRange(data, lost, data.length);
                from += lost;
            }
            return new Chunk(Math.max(start, kept), from, from + data.length, data);
        } catch (NoSuchFileException e) {
            return new Chunk(0, 0, 0, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The count of bytes ever written, read until two reads agree (the relay stores it as it runs). */
    private static long written(FileChannel channel) throws IOException {
        long last = -1;
        for (int i = 0; i < 10; i++) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
            }
            if (header.position() < 16 || !Arrays.equals(Arrays.copyOf(header.array(), MAGIC.length), MAGIC)) {
                return 0;
            }
            long now = header.getLong(8);
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void readRing(FileChannel channel, long from, byte[] into) throws IOException {
        int done = 0;
        while (done < into.length) {
            long at = (from + done) % RING;
            int n = (int) Math.min(into.length - done, RING - at);
            ByteBuffer part = ByteBuffer.wrap(into, done, n);
            while (part.hasRemaining() && channel.read(part, HEADER + at + (part.position() - done)) > 0) {
            }
            done += n;
        }
    }

    /** The write end of a relay's pipe: the agent's lines, and the descriptor a boot hands init as its stdout. */
    public static final class Pipe implements AutoCloseable {
        private final int fd;
        private final int relay;
        private boolean failureSaid, closed;

        private Pipe(int fd, int relay) {
            this.fd = fd;
            this.relay = relay;
        }

        public int fd() {
            return fd;
        }

        /** Adds a line of the agent's, marked as such and with the time. Best effort: the log is no reason to fail a boot. */
        public void say(String line) {
            String text = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line;
            try {
                Pipes.writeLine(fd, "[corral " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + text.replaceAll("\\p{Cntrl}", " "));
            } catch (SysCallException e) {
                // a relay that is gone: the boot goes on, or fails, for its own reasons
            }
        }

        /** Says why the boot failed, once: the first reason given is the one nearest the cause. */
        public void failed(String reason) {
            if (!failureSaid) {
                failureSaid = true;
                say("the server did not start: " + reason);
            }
        }

        /** Closes the agent's end; again, nothing (a descriptor's number may be another's by then). */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Sys.close(fd);
            }
        }
    }
}
