package io.corral.agent.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.agent.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The samples the panel has not necessarily taken yet, on local disk: one JSON line per round in
 * files named by their first round's number, a new file every hour. Each round is synced before
 * the next is taken, so a restart of the agent loses none; files older than the retention go.
 * The panel reads "after N" and so acknowledges everything up to N.
 */
public final class SampleSpool {
    private static final ObjectMapper JSON = Json.MAPPER;
    /** One line per round, whatever the agent's mapper does for answers. */
    private static final com.fasterxml.jackson.databind.ObjectWriter LINE =
            Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private static final long FILE_SPAN_MILLIS = Duration.ofHours(1).toMillis();
    private final Path dir;
    private final Duration retention;
    private FileChannel current;
    private long currentStartedMillis;
    private long lastSeq;

    public SampleSpool(Path dir, Duration retention) {
        this.dir = dir;
        this.retention = retention;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> files = files();
        if (!files.isEmpty()) {
            dropTornTail(files.get(files.size() - 1));
        }
        this.lastSeq = files.stream().reduce((a, b) -> b).map(SampleSpool::lastSeqIn).orElse(0L);
    }

    /** A crash in the middle of a write leaves a line without its end: cut it, so the next round starts clean. */
    private static void dropTornTail(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    /** Appends the round (its number is the next one) and syncs it. */
    synchronized SampleRound append(long atMillis, SampleRound.HostSample host, List<SampleRound.ServerSample> servers) {
        SampleRound round = new SampleRound(lastSeq + 1, atMillis, host, servers);
        try {
            if (current == null || atMillis - currentStartedMillis >= FILE_SPAN_MILLIS) {
                rotate(round.seq(), atMillis);
            }
            byte[] line = (LINE.writeValueAsString(round) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
            current.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastSeq = round.seq();
        return round;
    }

    /** Up to limit rounds numbered after seq, oldest first. */
    public List<SampleRound> after(long seq, int limit) {
        List<Path> files = files();
        List<SampleRound> rounds = new ArrayList<>();
        for (int i = 0; i < files.size() && rounds.size() < limit; i++) {
            boolean nextStartsLater = i + 1 < files.size() && firstSeq(files.get(i + 1)) <= seq + 1;
            if (nextStartsLater) {
                continue; // everything in this file is at or before seq
            }
            try (BufferedReader in = Files.newBufferedReader(files.get(i))) {
                String line;
                while ((line = in.readLine()) != null && rounds.size() < limit) {
                    if (line.isBlank()) {
                        continue;
                    }
                    SampleRound round = parse(line);
                    if (round != null && round.seq() > seq) {
                        rounds.add(round);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rounds;
    }

    private void rotate(long firstSeq, long atMillis) throws IOException {
        if (current != null) {
            current.close();
        }
        current = FileChannel.open(dir.resolve("samples-" + firstSeq + ".jsonl"),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        currentStartedMillis = atMillis;
        long oldest = atMillis - retention.toMillis();
        List<Path> files = files();
        for (int i = 0; i + 1 < files.size(); i++) {
            // the last write of a closed file is its newest round: older than the retention, all of it is
            if (Files.getLastModifiedTime(files.get(i)).toMillis() < oldest) {
                Files.deleteIfExists(files.get(i));
            }
        }
    }

    private List<Path> files() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("samples-\\d+\\.jsonl"))
                    .sorted(Comparator.comparingLong(SampleSpool::firstSeq)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long firstSeq(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring("samples-".length(), name.length() - ".jsonl".length()));
    }

    /** The last complete round's number in a file; a line cut short by a crash is ignored. */
    private static long lastSeqIn(Path file) {
        long last = firstSeq(file) - 1;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                SampleRound round = parse(line);
                if (round != null) {
                    last = round.seq();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last;
    }

    private static SampleRound parse(String line) {
        try {
            return JSON.readValue(line, SampleRound.class);
        } catch (IOException e) {
            return null;
        }
    }
}
