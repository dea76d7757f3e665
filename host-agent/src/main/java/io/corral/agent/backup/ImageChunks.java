package io.corral.agent.backup;

import io.corral.agent.sys.SparseFiles;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * An image read chunk by chunk through one buffer: only the chunks its data extents touch (found with
 * SEEK_DATA/SEEK_HOLE), and of those only the ones that are not all zeros, so holes and zeros cost nothing.
 */
final class ImageChunks {
    interface Each {
        void chunk(int index, byte[] content, int length) throws IOException;
    }

    private ImageChunks() {
    }

    /** Calls each for every chunk with data, in order; returns the image's size. */
    static long forEach(Path image, Each each) throws IOException {
        long size;
        BitSet withData = new BitSet();
        int fd = SparseFiles.openForReading(image);
        try {
            size = SparseFiles.size(fd, image.toString());
            SparseFiles.forEachExtent(fd, size, image.toString(), (offset, length) -> withData.set(
                    (int) (offset / BackupStore.CHUNK_BYTES), (int) ((offset + length - 1) / BackupStore.CHUNK_BYTES) + 1));
        } finally {
            Sys.close(fd);
        }
        byte[] content = new byte[BackupStore.CHUNK_BYTES];
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            for (int index = withData.nextSetBit(0); index >= 0; index = withData.nextSetBit(index + 1)) {
                long position = (long) index * BackupStore.CHUNK_BYTES;
                int length = (int) Math.min(BackupStore.CHUNK_BYTES, size - position);
                ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
                while (buffer.hasRemaining()) {
                    if (in.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(image + " ended at " + (position + buffer.position()) + ", before its size");
                    }
                }
                if (!allZero(content, length)) {
                    each.chunk(index, content, length);
                }
            }
        }
        return size;
    }

    private static boolean allZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
