package io.corral.panel.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * The panel's default database when none is configured: a real PostgreSQL server (binaries from
 * Maven Central) whose data lives in a persistent directory, so stopping and starting the panel
 * loses nothing. It holds every host's agent secret, so every connection needs its superuser's
 * password (scram-sha-256), which is made at the first start and kept beside the data, readable by
 * the panel's user only; it listens on loopback and on no Unix socket.
 *
 * <p>In its home directory: {@code postgres/} (the data), {@code postgres.password} and
 * {@code postgres-binaries/} (the server's programs: unpacked here rather than in the shared
 * /tmp, where another local user could have put programs of their own first).
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";
    private static final String HBA_HEADER = "# Written by the Corral panel at every start (db/EmbeddedDatabase).\n";
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedDatabase start(Path home, int port) {
        Path data = home.resolve("postgres");
        Path passwordFile = home.resolve("postgres.password");
        try {
            Files.createDirectories(home);
            Path binaries = PrivateFiles.directory(home.resolve("postgres-binaries"));
            stopOrphan(data);
            // A data directory made before the database had a password: set one in place, keeping the data.
            boolean upgrade = Files.exists(data.resolve("postgresql.conf")) && !Files.exists(passwordFile);
            if (!upgrade && !Files.exists(passwordFile)) {
                PrivateFiles.write(passwordFile, PrivateFiles.randomSecret());
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPort(port) // 0: a free one
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("unix_socket_directories", "")
                    // which statements the database's time goes to (create extension pg_stat_statements to read it):
                    // bench/scale.sh reports it, and an admin of a busy panel asks it first
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    // initdb's options (zonky passes these as --key=value): a new data directory's
                    // superuser has the password from the start, and no moment without it
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), upgrade ? "trust" : "scram-sha-256"));
            if (upgrade) {
                EmbeddedPostgres started = startWithPrivateBinaries(builder, binaries);
                try {
                    return new EmbeddedDatabase(started, setPassword(started, data, passwordFile));
                } catch (SQLException | RuntimeException e) {
                    started.close();
                    throw e;
                }
            }
            String password = Files.readString(passwordFile).trim();
            return new EmbeddedDatabase(startWithPrivateBinaries(builder.setConnectConfig("password", password), binaries), password);
        } catch (IOException e) {
            throw new UncheckedIOException("start embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("give the embedded PostgreSQL in " + data + " a password: " + e.getMessage(), e);
        }
    }

    /**
     * zonky makes its working directory writable by everyone as it unpacks the programs there: without
     * search permission (0722) that lets no one in, and this takes it back before anything else runs.
     */
    private static EmbeddedPostgres startWithPrivateBinaries(EmbeddedPostgres.Builder builder, Path binaries) throws IOException {
        try {
            return builder.start();
        } finally {
            PrivateFiles.directory(binaries);
        }
    }

    /**
     * The upgrade's one start, which trusted loopback connections as the data directory always had:
     * the superuser gets a password (sent as a SCRAM verifier, never in clear), kept before
     * pg_hba.conf asks for it, so a crash in between repeats the upgrade rather than locking the
     * panel out.
     */
    private static String setPassword(EmbeddedPostgres started, Path data, Path passwordFile) throws SQLException {
        String password = PrivateFiles.randomSecret();
        try (Connection c = started.getPostgresDatabase().getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
            PrivateFiles.write(passwordFile, password);
            writeHba(data, "scram-sha-256");
            c.createStatement().execute("select pg_reload_conf()");
            revokeOtherLogins(c);
        }
        LOG.infof("the embedded PostgreSQL in %s now asks every connection for its password (kept in %s)", data, passwordFile);
        return password;
    }

    /**
     * Roles that could log in besides the panel's: anyone on this machine could have made one while
     * every connection was trusted, so they lose their login; an admin who made one gives it back.
     */
    private static void revokeOtherLogins(Connection c) throws SQLException {
        List<String> others = new ArrayList<>();
        try (ResultSet r = c.createStatement().executeQuery(
                "select format('alter role %I nologin', rolname), rolname from pg_roles where rolcanlogin and rolname <> current_user")) {
            while (r.next()) {
                c.createStatement().execute(r.getString(1));
                others.add(r.getString(2));
            }
        }
        if (!others.isEmpty()) {
            LOG.warnf("roles %s could log in to the embedded PostgreSQL, and may have been made by another user of this machine while "
                    + "it trusted every local connection: they can no longer log in (ALTER ROLE ... LOGIN gives it back)", others);
        }
    }

    private static void writeHba(Path data, String method) {
        try {
            Files.writeString(data.resolve("pg_hba.conf"), HBA_HEADER
                    + "host all all 127.0.0.1/32 " + method + "\n"
                    + "host all all ::1/128 " + method + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("write " + data.resolve("pg_hba.conf") + ": " + e.getMessage(), e);
        }
    }

    /**
     * A panel killed with -9 leaves its PostgreSQL running, holding the data directory's lock: shut
     * that server down cleanly (it has committed everything it acknowledged) before starting anew.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return; // a stale lock file: PostgreSQL itself recovers from it
        }
        LOG.warnf("stopping PostgreSQL %d left running on %s by an earlier panel", pid, dataDir);
        orphan.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
        try {
            orphan.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("PostgreSQL " + pid + " on " + dataDir + " did not stop within 60 s; stop it, then start again", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
