package io.corral.panel.consolelog;

import io.corral.panel.agent.ConsoleChunk;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A piece of a server's console log as text. Offsets count the log's bytes from the server's first boot;
 * text is those bytes from from to next read as UTF-8 (a sequence that is not UTF-8 becomes U+FFFD; a
 * character cut by the end of the piece is left to the next one, so next may stop short of it).
 */
@Schema(description = "A piece of a server's console log: what its init and the services it starts wrote to their stdout and "
        + "stderr, with a line of the host's, \"[corral TIME] ...\", at each boot and for a boot that failed. The host keeps its "
        + "last MiB or so. text is the customer's own bytes read as UTF-8 (anything not UTF-8 as U+FFFD), terminal escapes and "
        + "control characters included as they were written: show it as text, never as markup.")
public record ConsoleLogView(
        @Schema(description = "The oldest offset the host still keeps; what came before is overwritten") long start,
        @Schema(description = "The offset of text's first byte: after, unless what lay there is overwritten") long from,
        @Schema(description = "The offset to ask after next time") long next,
        @Schema(description = "The log's bytes from from to next, as UTF-8 text") String text) {
    static final ConsoleLogView NOTHING = new ConsoleLogView(0, 0, 0, "");

    /** The agent's bytes as text; after: what the client asked for (null: the log's end, from a whole line). */
    static ConsoleLogView of(ConsoleChunk chunk, Long after) {
        byte[] data = chunk.data();
        int first = 0;
        if (after == null || chunk.from() != after) {
            first = characterStart(data); // the piece starts where the client did not ask: perhaps inside a character
        }
        if (after == null && chunk.from() > chunk.start()) {
            first = lineStart(data, first); // the end of a longer log: from a whole line
        }
        int end = completeEnd(data, first);
        return new ConsoleLogView(chunk.start(), chunk.from() + first, chunk.from() + end,
                new String(data, first, end - first, StandardCharsets.UTF_8));
    }

    /** Past the continuation bytes (10xxxxxx) of a character begun before the piece, at most three. */
    private static int characterStart(byte[] data) {
        int i = 0;
        while (i < Math.min(3, data.length) && (data[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }

    /** After the first newline at or past first, if there is one. */
    private static int lineStart(byte[] data, int first) {
        for (int i = first; i < data.length; i++) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return first;
    }

    /** The end of the last whole character: a sequence its lead byte says is longer than what follows it waits for the next piece. */
    private static int completeEnd(byte[] data, int first) {
        for (int i = data.length - 1; i >= Math.max(first, data.length - 4); i--) {
            int b = data[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 1;
            return data.length - i < length ? i : data.length;
        }
        return data.length;
    }
}
