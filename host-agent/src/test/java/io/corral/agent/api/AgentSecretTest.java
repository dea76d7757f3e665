package io.corral.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's secret file: made whole and private at first use; an empty or short one lets nobody in, it stops the agent. */
class AgentSecretTest {
    @Test
    void madeAtFirstUseReadableByRootOnly(@TempDir Path dir) throws Exception {
        StateDir state = StateDir.of(dir);
        AgentSecret made = AgentSecret.load(state);
        String secret = Files.readString(state.secret()).trim();
        assertTrue(secret.matches("[0-9a-f]{64}"), secret);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.secret())));
        assertTrue(made.matches("Bearer " + secret));
        assertFalse(made.matches("Bearer "));
        assertFalse(made.matches(null));
        assertTrue(AgentSecret.load(state).matches("Bearer " + secret), "the same secret the next time");
    }

    @Test
    void anEmptyOrShortSecretIsRefused(@TempDir Path dir) throws Exception {
        StateDir state = StateDir.of(dir);
        for (String content : new String[] {"", "\n", "short-secret\n"}) {
            Files.writeString(state.secret(), content);
            AgentException e = assertThrows(AgentException.class, () -> AgentSecret.load(state));
            assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
        }
    }
}
