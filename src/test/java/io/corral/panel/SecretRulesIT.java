package io.corral.panel;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged panel, given secrets that break their rules, stops at start and says which rule each breaks. */
class SecretRulesIT {
    @Test
    void aPanelGivenWeakSecretsDoesNotStartAndNamesThem() throws Exception {
        Path data = Files.createTempDirectory("corral-secret-rules");
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dcorral.keycloak.url=" + TestKeycloak.get().url(), "-Dcorral.heartbeat.every=off",
                    "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
            pb.environment().put("CORRAL_DATA_DIR", data.toString());
            pb.environment().put("CORRAL_PORT", Integer.toString(port));
            pb.environment().put("CORRAL_PANEL_CLIENT_SECRET", "short");
            pb.environment().put("CORRAL_FIRST_ADMIN_USERNAME", "weak-admin");
            pb.environment().put("CORRAL_FIRST_ADMIN_PASSWORD", "weak-admin");
            Path log = data.resolve("panel.log");
            Process panel = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(panel.waitFor(2, TimeUnit.MINUTES), "the panel stopped by itself");
            assertNotEquals(0, panel.exitValue());
            String said = Files.readString(log);
            assertThat(said, containsString("CORRAL_PANEL_CLIENT_SECRET has 5 characters and needs at least 32"));
            assertThat(said, containsString("CORRAL_FIRST_ADMIN_PASSWORD has 10 characters and needs at least 12"));
            assertThat(said, containsString("CORRAL_FIRST_ADMIN_PASSWORD is the first admin's username"));
            assertNull(TestKeycloak.get().user("weak-admin"), "no first admin was made");
        } finally {
            TestFiles.deleteTree(data);
        }
    }
}
