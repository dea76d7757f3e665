package io.corral.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentProcess;
import io.corral.agent.backup.S3Mock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin's command line: the verbs of the issue, exit codes, and one-line reasons on stderr. */
class CliTest {
    static Path state;

    @BeforeAll
    static void stateDir() throws Exception {
        state = Files.createTempDirectory("corral-cli-test-");
        assertEquals(0, cli("template", "build", "busybox").exit);
    }

    @AfterAll
    static void cleanUp() {
        AgentProcess.cleanUp(state);
    }

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--state-dir";
        all[1] = state.toString();
        all[2] = "--stop-grace";
        all[3] = "3";
        System.arraycopy(args, 0, all, 4, args.length);
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            return new Run(Main.run(all), o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theIssuesExampleSessionWorks() {
        assertEquals(0, cli("create", "cli-101", "--hostname", "web1", "--template", "busybox", "--memory", "256M",
                "--swap", "0", "--cpus", "0.5", "--pids", "128", "--disk", "1G").exit);
        assertEquals(0, cli("start", "cli-101").exit);
        Run hostname = cli("exec", "cli-101", "--", "hostname");
        assertEquals(0, hostname.exit);
        assertEquals("web1\n", hostname.out);
        assertEquals(5, cli("exec", "cli-101", "--", "sh", "-c", "exit 5").exit, "exec returns the command's exit code");
        assertEquals(0, cli("limits", "cli-101", "--memory", "512M").exit);
        Run list = cli("list");
        assertTrue(list.out.lines().anyMatch(l -> l.startsWith("cli-101") && l.contains("running") && l.contains("512")), list.out);
        assertEquals(0, cli("stop", "cli-101").exit);
        assertEquals(0, cli("destroy", "cli-101").exit);
        assertTrue(Files.notExists(state.resolve("servers/cli-101")));

        Run both = cli("create", "cli-102", "--hostname", "web2", "--template", "busybox", "--start");
        assertEquals("created and started cli-102\n", both.out);
        assertEquals("web2\n", cli("exec", "cli-102", "--", "hostname").out);
        assertEquals(0, cli("destroy", "cli-102").exit);
    }

    @Test
    void snapshotsAndBackupsFromTheCommandLine() {
        assertEquals(0, cli("create", "cli-103", "--hostname", "web3", "--template", "busybox", "--start").exit);
        cli("exec", "cli-103", "--", "sh", "-c", "echo one > /root/note");
        assertTrue(cli("snapshot", "take", "cli-103", "s1").out.contains("\"wasRunning\" : true"));
        assertTrue(cli("backup", "take", "cli-103", "b1").out.contains("\"newChunks\""));
        cli("exec", "cli-103", "--", "sh", "-c", "echo two > /root/note");
        assertEquals(0, cli("snapshot", "restore", "cli-103", "s1").exit);
        assertEquals("one\n", cli("exec", "cli-103", "--", "cat", "/root/note").out);
        assertTrue(cli("snapshot", "list", "cli-103").out.contains("\"s1\""));
        assertEquals(0, cli("destroy", "cli-103").exit);
        assertTrue(cli("backup", "list", "cli-103").out.contains("\"b1\""), "the store outlives the server");
        assertEquals(0, cli("backup", "delete", "cli-103", "b1").exit);
        assertEquals("[ ]\n", cli("backup", "list", "cli-103").out);
        Run bad = cli("backup", "take", "cli-nope", "Bad");
        assertEquals("corral-agent: id: must be 1 to 40 of a-z, 0-9 and '-'\n", bad.err);
    }

    @Test
    void refusalsExitNonZeroWithOneLineNamingTheProblem() {
        Run bad = cli("create", "cli-bad", "--hostname", "bad_name", "--template", "busybox");
        assertEquals(1, bad.exit);
        assertEquals(1, bad.err.lines().count(), bad.err);
        assertTrue(bad.err.startsWith("corral-agent: hostname: 'bad_name' is not a valid label"), bad.err);
        Run size = cli("create", "cli-bad", "--hostname", "ok", "--template", "busybox", "--memory", "lots");
        assertTrue(size.err.contains("limits.memoryMiB: 'lots' is not a size"), size.err);
        Run missing = cli("start", "cli-nope");
        assertEquals(1, missing.exit);
        assertEquals("corral-agent: server cli-nope does not exist\n", missing.err);
    }

    @Test
    void backupsGoToAnS3BucketGivenByOptionsWithTheKeyFromAPrivateFile() throws Exception {
        Path key = credentials("rw-------");
        try (S3Mock s3 = S3Mock.start("cli-backups")) {
            String[] store = {"--backup-s3-endpoint", s3.endpoint.toString(), "--backup-s3-bucket", s3.bucket,
                    "--backup-s3-prefix", "/host-a/", "--backup-s3-credentials", key.toString()};
            assertEquals(0, cli("create", "cli-104", "--hostname", "web4", "--template", "busybox", "--disk", "64M").exit);
            Run took = cli(with(store, "backup", "take", "cli-104", "b1"));
            assertEquals(0, took.exit, took.err);
            assertTrue(s3.keys("host-a/servers/cli-104/").contains("host-a/servers/cli-104/b1.json"), "under the prefix");
            assertTrue(cli(with(store, "backup", "list", "cli-104")).out.contains("\"b1\""));
            assertEquals(0, cli(with(store, "backup", "delete", "cli-104", "b1")).exit);
            assertEquals(List.of(), s3.keys("host-a/"));
            assertEquals("[ ]\n", cli("backup", "list", "cli-104").out, "the directory store is another");
            Run noBucket = cli("--backup-s3-endpoint", s3.endpoint.toString(), "--backup-s3-bucket", "no-such-bucket",
                    "--backup-s3-credentials", key.toString(), "backup", "list", "cli-104");
            assertEquals("corral-agent: --backup-s3-bucket: bucket no-such-bucket at " + s3.endpoint
                    + " cannot be reached: there is no such bucket (HTTP 404)\n", noBucket.err);
        } finally {
            cli("destroy", "cli-104");
            Files.delete(key);
        }
    }

    @Test
    void aBadS3StoreIsRefusedAtStartNamingTheOptionAndNeverTheSecret() throws Exception {
        Path open = credentials("rw-r--r--"), key = credentials("rw-------");
        try {
            Run readable = cli("--backup-s3-endpoint", "http://127.0.0.1:9", "--backup-s3-bucket", "b",
                    "--backup-s3-credentials", open.toString(), "backup", "list", "x");
            assertEquals(1, readable.exit);
            assertTrue(readable.err.startsWith("corral-agent: --backup-s3-credentials: " + open + " is readable or writable by group or others"),
                    readable.err);

            Run both = cli("--backup-dir", state.resolve("other").toString(), "--backup-s3-endpoint", "http://127.0.0.1:9",
                    "--backup-s3-bucket", "b", "--backup-s3-credentials", key.toString(), "backup", "list", "x");
            assertEquals(1, both.exit);
            assertTrue(both.err.startsWith("corral-agent: --backup-dir: cannot be combined with the --backup-s3-* options"), both.err);

            Run plain = cli("--backup-s3-endpoint", "http://192.0.2.10:9000", "--backup-s3-bucket", "b",
                    "--backup-s3-credentials", key.toString(), "backup", "list", "x");
            assertEquals("corral-agent: --backup-s3-endpoint: must be https unless the service is on this host (a loopback address)\n",
                    plain.err);
            Path link = Files.createSymbolicLink(key.resolveSibling(key.getFileName() + ".link"), key);
            Run linked = cli("--backup-s3-endpoint", "http://127.0.0.1:9", "--backup-s3-bucket", "b",
                    "--backup-s3-credentials", link.toString(), "backup", "list", "x");
            Files.delete(link);
            assertTrue(linked.err.startsWith("corral-agent: --backup-s3-credentials: " + link + " is not a regular file"), linked.err);

            int closed = S3Mock.freePort(); // nothing listens there
            Run away = cli("--backup-s3-endpoint", "http://127.0.0.1:" + closed, "--backup-s3-bucket", "nowhere",
                    "--backup-s3-credentials", key.toString(), "backup", "list", "x");
            assertEquals(1, away.exit);
            assertTrue(away.err.startsWith("corral-agent: --backup-s3-bucket: bucket nowhere at http://127.0.0.1:" + closed + " cannot be reached"), away.err);
            for (Run run : List.of(readable, both, plain, linked, away)) {
                assertFalse(run.err.contains(SECRET) || run.out.contains(SECRET), run.err);
            }
        } finally {
            Files.delete(open);
            Files.delete(key);
        }
    }

    private static final String SECRET = "cli-test-secret-0123456789";

    private static Path credentials(String mode) throws Exception {
        Path file = Files.createTempFile(state, "s3-key-", "");
        Files.writeString(file, "aws_access_key_id=cli-test-key\naws_secret_access_key=" + SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String[] with(String[] options, String... command) {
        String[] all = Arrays.copyOf(options, options.length + command.length);
        System.arraycopy(command, 0, all, options.length, command.length);
        return all;
    }
}
