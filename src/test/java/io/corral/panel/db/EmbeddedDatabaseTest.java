package io.corral.panel.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database lets no one in without its password — not another local user over
 * loopback, nor through a Unix socket — also when its data directory was made by an earlier
 * version that trusted every local connection, whose data it keeps.
 */
class EmbeddedDatabaseTest {
    @Test
    void aNewDatabaseAsksEveryConnectionForItsPassword(@TempDir Path home) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0)) {
            assertRefusedWithoutThePassword(db);
            try (Connection c = connect(db, db.password())) {
                assertEquals(1, number(c, "select 1"));
            }
            assertEquals("rw-------", mode(home.resolve("postgres.password")));
            assertEquals(db.password(), Files.readString(home.resolve("postgres.password")).trim());
            assertEquals("rwx------", mode(home.resolve("postgres-binaries")));
            assertEquals("rwx------", mode(home.resolve("postgres")));
            assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + db.port())), "no Unix socket in /tmp");
        }
        // and again after a restart, with the same password, on the port asked for (CORRAL_DB_PORT)
        String first = Files.readString(home.resolve("postgres.password")).trim();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(home, port)) {
            assertEquals(first, db.password());
            assertEquals(port, db.port());
            assertRefusedWithoutThePassword(db);
        }
    }

    @Test
    void aDataDirectoryOfAnEarlierVersionGetsAPasswordAndKeepsItsData(@TempDir Path home) throws Exception {
        // as the panel made it before: zonky's defaults, trusting every local connection
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(home.resolve("postgres")).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(home.resolve("postgres-binaries").toFile()).start();
             Connection c = old.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create table host (secret text); insert into host values ('agent-secret-kept')");
            c.createStatement().execute("create role intruder login password 'made-while-trusted'");
        }
        assertFalse(Files.exists(home.resolve("postgres.password")));

        try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0)) {
            assertRefusedWithoutThePassword(db);
            SQLException intruder = assertThrows(SQLException.class, () -> {
                Properties p = new Properties();
                p.setProperty("password", "made-while-trusted");
                DriverManager.getConnection(db.jdbcUrl().replace("user=postgres", "user=intruder"), p).close();
            });
            assertTrue(intruder.getMessage().contains("not permitted to log in"), intruder.getMessage());
            try (Connection c = connect(db, db.password());
                 ResultSet r = c.createStatement().executeQuery("select secret from host")) {
                assertTrue(r.next());
                assertEquals("agent-secret-kept", r.getString(1));
            }
            assertEquals("rw-------", mode(home.resolve("postgres.password")));
            assertEquals("rwx------", mode(home.resolve("postgres-binaries")), "kept private, though zonky opens it to writing");
            assertFalse(Files.readString(home.resolve("postgres/pg_hba.conf")).contains("trust"));
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0); Connection c = connect(db, db.password())) {
            assertEquals(1, number(c, "select count(*) from host"), "the second start uses the kept password");
        }
    }

    private static void assertRefusedWithoutThePassword(EmbeddedDatabase db) {
        SQLException none = assertThrows(SQLException.class, () -> connect(db, null).close());
        assertTrue(none.getMessage().contains("no password was provided"), none.getMessage());
        SQLException wrong = assertThrows(SQLException.class, () -> connect(db, "postgres").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage()); // invalid_password
    }

    private static Connection connect(EmbeddedDatabase db, String password) throws SQLException {
        Properties p = new Properties();
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(db.jdbcUrl(), p);
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
