package io.corral.agent.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentProcess;
import io.corral.agent.ToolFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Debian template's build with a stand-in debootstrap (the real one is DebianEscapeTest's and SshTest's):
 * packages are kept in the store's download cache, a package the mirror failed to send gets one more attempt,
 * any other failure none, and a failed build leaves no template.
 */
class DebianBuildTest {

    @Test
    void aMirrorThatFailedToSendAPackageGetsOneMoreAttempt() throws Exception {
        List<String> calls = build("E: Couldn't download packages: adduser apt");
        assertEquals(2, calls.size(), String.join("\n", calls));
    }

    @Test
    void anyOtherFailureIsNotTriedAgain() throws Exception {
        List<String> calls = build("E: No space left on device");
        assertEquals(1, calls.size(), String.join("\n", calls));
    }

    /** Builds debian with a debootstrap failing with message; the failure is named and no template is left. Returns its runs' arguments. */
    private static List<String> build(String message) throws Exception {
        Path state = Files.createTempDirectory("corral-debian-build-");
        Path calls = state.resolve("debootstrap-calls");
        try (AgentProcess agent = new AgentProcess(state).withToolsFirst(ToolFault.failingAndRecording("debootstrap", message, calls))
                .start()) {
            var refused = agent.call("POST", "/v1/templates/debian/build", null);
            assertEquals(500, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains(message), refused.body());
            assertFalse(Files.exists(state.resolve("templates/debian")), "no template left");
            List<String> runs = Files.readAllLines(calls);
            for (String run : runs) {
                assertTrue(run.contains("--cache-dir=" + state.resolve("templates/.downloads")), run);
            }
            return runs;
        } finally {
            AgentProcess.cleanUp(state);
        }
    }
}
