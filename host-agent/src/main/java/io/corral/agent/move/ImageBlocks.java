package io.corral.agent.move;

import io.corral.agent.backup.Sha256;
import io.corral.agent.sys.SparseFiles;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * A server's disk image as a move sees it: blocks of {@link #BYTES}, of which only those holding data are read,
 * sent and checked. The image is the agent's own file in the agent's own directory, never a customer's path.
 */
public final class ImageBlocks implements AutoCloseable {
    /** A block: what one request carries and one checksum covers. */
    public static final int BYTES = 1 << 20;
    private static final byte[] ZEROS = new byte[BYTES];
    private final Path image;
    private final FileChannel channel;
    private final MessageDigest digest = Sha256.digest();

    private ImageBlocks(Path image, FileChannel channel) {
        this.image = image;
        this.channel = channel;
    }

    public static ImageBlocks forReading(Path image) {
        return open(image, StandardOpenOption.READ);
    }

    /**
     * An image that exists (never made here: see move/IncomingMove), never truncated: a block written stays until it
     * is written again or punched. Missing, it is an UncheckedIOException caused by a NoSuchFileException.
     */
    public static ImageBlocks forWriting(Path image) {
        return open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static ImageBlocks open(Path image, StandardOpenOption... options) {
        try {
            return new ImageBlocks(image, FileChannel.open(image, options));
        } catch (IOException e) {
            throw new UncheckedIOException("open " + image + ": " + e.getMessage(), e);
        }
    }

    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("size of " + image + ": " + e.getMessage(), e);
        }
    }

    /** The offsets of the blocks that hold data, in order: the image's data extents rounded out to whole blocks. */
    public TreeSet<Long> dataBlocks() {
        TreeSet<Long> blocks = new TreeSet<>();
        int fd = SparseFiles.openForReading(image);
        try {
            SparseFiles.forEachExtent(fd, SparseFiles.size(fd, image.toString()), image.toString(), (offset, length) -> {
                for (long block = offset / BYTES * BYTES; block < offset + length; block += BYTES) {
                    blocks.add(block);
                }
            });
        } finally {
            Sys.close(fd);
        }
        return blocks;
    }

    /** The block at offset into buffer (BYTES long); returns its length, short only for the image's last block. */
    public int read(long offset, byte[] buffer) {
        int length = (int) Math.min(BYTES, size() - offset);
        ByteBuffer into = ByteBuffer.wrap(buffer, 0, length);
        try {
            while (into.hasRemaining()) {
                if (channel.read(into, offset + into.position()) < 0) {
                    throw new IllegalStateException(image + " ended at " + (offset + into.position()) + ", inside its block at " + offset);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read " + image + " at " + offset + ": " + e.getMessage(), e);
        }
        return length;
    }

    /** Writes the block; one of zeros only is punched out instead, so the copy stays as sparse as the original. */
    public void write(long offset, byte[] data, int length) {
        if (isZeros(data, length)) {
            punch(offset, length);
            return;
        }
        ByteBuffer from = ByteBuffer.wrap(data, 0, length);
        try {
            while (from.hasRemaining()) {
                channel.write(from, offset + from.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + image + " at " + offset + ": " + e.getMessage(), e);
        }
    }

    /** The range made a hole (reading zeros), within the file's size as it is. */
    public void punch(long offset, long length) {
        long end = Math.min(offset + length, size());
        if (end > offset) {
            SparseFiles.punchHole(image, offset, end - offset);
        }
    }

    /** The image's size set: a longer image is cut, a shorter one grows a hole. */
    public void resize(long bytes) {
        SparseFiles.setSize(image, bytes);
    }

    /** Made durable before a commit answers. */
    public void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("sync " + image + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of the first length bytes of data, in lowercase hex. */
    public String sha256(byte[] data, int length) {
        digest.update(data, 0, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isZeros(byte[] data, int length) {
        return Arrays.mismatch(data, 0, length, ZEROS, 0, length) < 0;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close " + image + ": " + e.getMessage(), e);
        }
    }
}
