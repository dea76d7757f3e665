package io.corral.panel.consolelog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.agent.ConsoleChunk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The log's bytes as text: pieces cut anywhere still give whole characters, and the log's end starts at a whole line. */
class ConsoleLogViewTest {
    static final byte[] JAPANESE = "ウェブ\n".getBytes(StandardCharsets.UTF_8); // three bytes a character

    @Test
    void aCharacterCutByThePiecesEndWaitsForTheNextPiece() {
        byte[] cut = Arrays.copyOf(JAPANESE, 4); // ウ and the first byte of ェ
        ConsoleLogView first = ConsoleLogView.of(new ConsoleChunk(0, 100, 104, cut), 100L);
        assertEquals("ウ", first.text());
        assertEquals(103, first.next(), "the cut character's byte is asked for again");

        ConsoleLogView second = ConsoleLogView.of(new ConsoleChunk(0, 103, 110, Arrays.copyOfRange(JAPANESE, 3, 10)), 103L);
        assertEquals("ェブ\n", second.text());
        assertEquals(110, second.next());
    }

    @Test
    void aPieceThatStartsInsideACharacterSkipsItsRest() {
        // what lay at 100 was overwritten: the agent's piece starts at 101, in the middle of ウ
        ConsoleLogView view = ConsoleLogView.of(new ConsoleChunk(101, 101, 107, Arrays.copyOfRange(JAPANESE, 1, 7)), 100L);
        assertEquals("ェ", view.text());
        assertEquals(103, view.from());
    }

    @Test
    void theEndOfALongerLogStartsAtAWholeLine() {
        byte[] data = "f a line\nwhole line\nlast".getBytes(StandardCharsets.UTF_8);
        ConsoleLogView view = ConsoleLogView.of(new ConsoleChunk(10, 500, 500 + data.length, data), null);
        assertEquals("whole line\nlast", view.text());
        assertEquals(509, view.from());

        ConsoleLogView all = ConsoleLogView.of(new ConsoleChunk(0, 0, data.length, data), null);
        assertEquals("f a line\nwhole line\nlast", all.text(), "a log that is whole starts at its start");
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharactersAndNeverHoldTheLogBack() {
        byte[] data = {'a', (byte) 0xFF, 'b', (byte) 0xC0};
        ConsoleLogView view = ConsoleLogView.of(new ConsoleChunk(0, 0, 4, data), 0L);
        assertEquals("a\uFFFDb\uFFFD", view.text());
        assertEquals(4, view.next());
    }
}
