package io.corral.agent.move;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The checksums of the blocks a move's receiver wrote, one "offset sha256" line per block as it arrived, appended (each
 * line one write, so blocks arriving at once never mix their lines); a block written again has its later line count.
 * The file is made with the receiving end (move/IncomingMove), never here.
 */
public final class BlockSums {
    /** How many times over a move may send its disk's blocks: a sender sends each at most once a round, in 4 rounds. */
    public static final int TIMES = 8;
    /** The longest line: an offset of up to 19 digits, a space, 64 hex digits and a newline. */
    private static final int LINE_BYTES = 85;

    private BlockSums() {
    }

    /** Whether no block has arrived (the file is empty or gone). */
    public static boolean none(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("size of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the file holds {@link #TIMES} the disk's blocks' lines, each counted as long as a line can be: it bounds
     * what a sender makes the receiver keep and read back at the commit.
     */
    public static boolean full(Path file, long blocks) {
        try {
            return Files.size(file) >= TIMES * blocks * LINE_BYTES;
        } catch (IOException e) {
            throw new UncheckedIOException("size of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Missing, the file is an UncheckedIOException caused by a NoSuchFileException. */
    public static void append(Path file, long offset, String sha256) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap((offset + " " + sha256 + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** By offset, the checksum of what was written there last; empty when nothing arrived (or the file is missing). */
    public static Map<Long, String> read(Path file) {
        Map<Long, String> sums = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int space = line.indexOf(' ');
                sums.put(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
            }
        } catch (NoSuchFileException e) {
            return sums;
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
        return sums;
    }
}
