package io.corral.agent.runtime;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.sys.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A server's console log on a real server: its init's output, its boots, its bound, and why a boot failed. */
class ConsoleLogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void initsOutputIsKeptAcrossARestartAndGoesWithTheServer() throws Exception {
        String id = "con-chatty";
        Path template = template("console-chatty", rootfs -> append(rootfs.resolve("etc/inittab"),
                "::sysinit:/bin/echo hello from the boot\n::sysinit:/bin/sh -c 'echo and its stderr >&2'\n"));
        try {
            servers().create(new CreateRequest(id, "chatty", "console-chatty", null, false));
            servers().start(id);
            awaitLog(id, "and its stderr\n");
            String boot = text(servers().access().console(id, 0L, null));
            assertTrue(boot.matches("(?s)\\[corral \\S+Z] starting chatty from template console-chatty\n.*"), boot);
            assertTrue(boot.contains("\nhello from the boot\n"), boot);

            // a process of the server writing to init's stdout, read after what was read so far
            long seen = servers().access().console(id, null, null).next();
            sh(id, "echo written later > /proc/1/fd/1");
            awaitLog(id, "written later\n");
            ConsoleLog.Chunk after = servers().access().console(id, seen, null);
            assertEquals(seen, after.from());
            assertEquals("written later\n", text(after));

            servers().restart(id);
            Await.until(WAIT, "the second boot's output", () -> count(log(id), "hello from the boot") == 2);
            String both = log(id);
            assertEquals(2, count(both, "] starting chatty from template"), both);
            assertTrue(both.indexOf("written later") < both.lastIndexOf("] starting chatty"), both);
            assertTrue(both.contains("The system is going down NOW!"), "busybox init's own words at the stop: " + both);

            Path file = TestHost.agent().state().server(id).resolve("console.log");
            assertTrue(Files.exists(file));
            servers().destroy(id);
            assertFalse(Files.exists(file), "the log goes with the server");
        } finally {
            destroyQuietly(id);
            delete(template);
        }
    }

    @Test
    void twentyMibWrittenAtFullSpeedKeepTheLogWithinItsCap() throws Exception {
        String id = "con-flood";
        try {
            running(id);
            String group = ServerSpec.groupOf(id);
            assertTrue(servers().cgroups().pids(group).stream().anyMatch(ConsoleLogTest::isRelay),
                    "the relay copies inside the server's own cgroup, within its limits");
            sh(id, "yes 0123456789abcdef | head -n 1233700 > /proc/1/fd/1"); // 17 bytes a line: just over 20 MiB
            Await.until(WAIT, "20 MiB in the log", () -> servers().access().console(id, null, null).next() >= 20 << 20);

            Path file = TestHost.agent().state().server(id).resolve("console.log");
            assertEquals(ConsoleLog.HEADER + ConsoleLog.RING, Files.size(file), "a ring of 1 MiB after its header page");
            ConsoleLog.Chunk end = servers().access().console(id, null, null);
            assertEquals(ConsoleLog.MAX_READ, end.data().length);
            assertTrue(text(end).endsWith("0123456789abcdef\n0123456789abcdef\n"), text(end).substring(65000));
            assertEquals(end.next() - ConsoleLog.KEPT, end.start(), "what the ring holds");

            ConsoleLog.Chunk fromTheStart = servers().access().console(id, 0L, null);
            assertEquals(end.start(), fromTheStart.from(), "what was overwritten is skipped");
            String kept = text(fromTheStart);
            assertTrue(kept.substring(0, kept.lastIndexOf('\n')).lines().skip(1).allMatch("0123456789abcdef"::equals),
                    "the oldest bytes kept are whole, not torn by the ring's turn");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aBootThatFailsSaysWhyInTheLog() throws Exception {
        Path noInit = template("console-noinit", rootfs -> delete(rootfs.resolve("sbin/init")));
        try {
            servers().create(new CreateRequest("con-noinit", "noinit", "console-noinit", null, false));
            assertThrows(AgentException.class, () -> servers().start("con-noinit"));
            String log = log("con-noinit");
            assertTrue(log.matches("(?s)\\[corral \\S+] starting noinit from template console-noinit\n"
                    + "\\[corral \\S+] the server did not start: init /sbin/init cannot be run from the server's root filesystem: "
                    + "No such file or directory\n"), "one reason, the nearest, in the customer's words: " + log);

            // a disk the host cannot mount: its relay could not join a group it never made, so a note says why
            servers().create(new CreateRequest("con-nodisk", "nodisk", "busybox", null, false));
            ServerPaths paths = ServerPaths.of(TestHost.agent().state(), "con-nodisk");
            Disk.unmount(paths);
            Command.run("dd", "if=/dev/zero", "of=" + TestHost.agent().state().server("con-nodisk").resolve("disk.img"), "bs=64k",
                    "count=1", "conv=notrunc");
            assertThrows(RuntimeException.class, () -> servers().start("con-nodisk"));
            log = log("con-nodisk");
            assertTrue(log.matches("(?s)\\[corral \\S+] the server did not start: the host could not prepare it: .*mount.*\n"), log);
        } finally {
            destroyQuietly("con-noinit", "con-nodisk");
            delete(noInit);
        }
    }

    @Test
    void aReadIsBoundedAndCheckedAndAServerThatNeverBootedHasAnEmptyLog() {
        String id = "con-never";
        try {
            servers().create(new CreateRequest(id, "never", "busybox", null, false));
            ConsoleLog.Chunk empty = servers().access().console(id, null, null);
            assertEquals(0, empty.next());
            assertEquals(0, empty.data().length);
            assertEquals("after", assertThrows(AgentException.class, () -> servers().access().console(id, -1L, null)).field());
            assertEquals("limit", assertThrows(AgentException.class, () -> servers().access().console(id, null, 65537L)).field());
            assertEquals("limit", assertThrows(AgentException.class, () -> servers().access().console(id, null, 0L)).field());
        } finally {
            destroyQuietly(id);
        }
    }

    private static boolean isRelay(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("corral-enter");
        } catch (Exception e) {
            return false;
        }
    }

    /** A copy of the busybox template under another name, changed by the test. */
    private static Path template(String name, Consumer<Path> change) {
        Path templates = TestHost.agent().state().templates();
        Path template = templates.resolve(name);
        Command.run("cp", "-a", templates.resolve("busybox").toString(), template.toString());
        change.accept(template.resolve("rootfs"));
        return template;
    }

    private static void awaitLog(String id, String text) {
        Await.until(WAIT, "'" + text.trim() + "' in the console log", () -> log(id).contains(text));
    }

    private static String log(String id) {
        return text(servers().access().console(id, 0L, null));
    }

    private static String text(ConsoleLog.Chunk chunk) {
        return new String(chunk.data(), StandardCharsets.UTF_8);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        Command.run("rm", "-rf", path.toString());
    }
}
