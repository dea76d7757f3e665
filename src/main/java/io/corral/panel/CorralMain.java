package io.corral.panel;

import io.corral.panel.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Starts the panel. Without CORRAL_DB_URL it first starts an embedded PostgreSQL whose data lives in
 * $CORRAL_DATA_DIR/postgres (default ./data/postgres), its password beside it, and points the datasource at it.
 */
@QuarkusMain
public final class CorralMain {
    private CorralMain() {
    }

    public static void main(String... args) {
        String external = System.getenv("CORRAL_DB_URL");
        EmbeddedDatabase embedded = null;
        if (external == null || external.isBlank()) {
            String dataDir = System.getenv().getOrDefault("CORRAL_DATA_DIR", "data");
            int port = Integer.parseInt(System.getenv().getOrDefault("CORRAL_DB_PORT", "0"));
            embedded = EmbeddedDatabase.start(Path.of(dataDir).toAbsolutePath(), port);
            System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
            System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
            System.setProperty("quarkus.datasource.password", embedded.password());
        }
        try {
            Quarkus.run(args);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
