package io.corral.agent.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.corral.agent.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host tool that hangs or floods its output costs the agent a bounded time and memory, not a thread for good. */
class CommandTest {

    @Test
    void aToolPastItsDeadlineIsKilledWithWhatItStarted(@TempDir Path dir) throws Exception {
        Path child = dir.resolve("child");
        // a shell waiting on a child that keeps the output pipe open, as a tool stuck on a device would
        IllegalStateException refused = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalStateException.class,
                () -> Command.runWithin(Duration.ofMillis(300), "sh", "-c", "sleep 600 & echo $! > " + child + "; wait")));

        assertEquals("sh -c sleep 600 & echo $! > " + child + "; wait did not finish within 300 ms, and was killed", refused.getMessage());
        long pid = Long.parseLong(Files.readString(child).strip());
        Await.until(Duration.ofSeconds(5), "the tool's child is gone", () -> gone(pid));
    }

    @Test
    void aToolThatPrintsWithoutEndIsKilled() {
        IllegalStateException refused = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalStateException.class, () -> Command.run("yes")));

        assertEquals("yes printed more than 16 MiB, and was killed", refused.getMessage());
    }

    @Test
    void aQuickToolIsAnsweredAsBefore() {
        assertEquals("a\nb", Command.runWithInput("a\nb\n", "cat"), "its input given, its output read");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Command.run("sh", "-c", "echo no such link >&2; exit 2"));
        assertEquals("sh -c echo no such link >&2; exit 2 exited with 2: no such link", refused.getMessage());
    }

    /** Killed, then reaped by init: no process, or one that is only waiting to be. */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
