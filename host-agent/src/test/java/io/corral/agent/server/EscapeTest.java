package io.corral.agent.server;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.exec;
import static io.corral.agent.TestHost.runningFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.TestHost;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Root inside a server tries to get out (src/test/c/escape-probe.c, one probe a line): every probe
 * must be refused, and the host is checked unchanged afterwards: hostname, mounts, a host process
 * the probes aimed at, the clock, and the host's uptime after a reboot from inside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeTest {
    static final String PROBE = "/corral-escape-probe", QUEUE_KEY = "0x5eed";
    static final int PROBES = 36;
    final String A = "escape-" + template() + "-a", B = "escape-" + template() + "-b", C = "escape-" + template() + "-c";

    /** The template the servers are made of; DebianEscapeTest runs the same suite on a Debian server. */
    String template() {
        return "busybox";
    }

    /**
     * The agent that makes the servers: by default one whose servers get a user namespace of their
     * own; EscapeWithoutUserNamespaceTest runs the suite on a host that turned them off.
     */
    Agent agent() {
        return TestHost.agent();
    }

    @BeforeAll
    void serversWithTheProbe() throws Exception {
        Path probe = compileProbe();
        for (String id : List.of(A, B, C)) {
            ServerView server = runningFrom(agent(), id, template(), null);
            // into the server's own layer, owned by its root, as if the customer had put it there
            Path target = Path.of(agent().state().server(id).toString(), "disk", "upper", PROBE.substring(1));
            Files.copy(probe, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (server.users() != null) {
                Files.setAttribute(target, "unix:uid", (int) server.users().first());
            }
        }
        assertEquals(0, exec(agent(), B, PROBE, "make-queue", QUEUE_KEY).exitCode(), "server B has a message queue");
    }

    @AfterAll
    void destroy() {
        destroyQuietly(agent(), A, B, C);
    }

    @Test
    void everyProbeIsRefusedAndTheHostIsUnchanged() throws Exception {
        HostState before = HostState.read();
        Process target = new ProcessBuilder("sleep", "600").start(); // a host process the probes aim at
        Path marker = Files.writeString(Path.of("/tmp/corral-escape-marker-" + UUID.randomUUID()), "host only");
        try {
            String[] disk = hostDisk();
            ExecResult result = exec(agent(), A, PROBE, disk[0], disk[1], Long.toString(target.pid()), marker.toString(), QUEUE_KEY);
            List<String> probes = result.stdout().lines().filter(l -> l.startsWith("PROBE ")).toList();
            System.out.println("escape probes in " + A + ":\n" + String.join("\n", probes));
            List<String> escaped = probes.stream().filter(l -> l.contains(" ESCAPED: ")).toList();
            long refused = probes.stream().filter(l -> l.contains(" refused: ")).count();
            assertEquals(List.of(), escaped, "no probe may get out");
            assertEquals(PROBES, probes.size(), "every probe ran (stderr: " + result.stderr() + ")");
            assertEquals(PROBES, refused);

            assertTrue(target.isAlive(), "the host process the probes aimed at is untouched");
            var report = agent().servers().isolation(A);
            boolean ownUsers = agent().servers().get(A).users() != null;
            assertEquals(ownUsers ? List.of("mnt", "uts", "ipc", "net", "pid", "cgroup", "user") : List.of("mnt", "uts", "ipc", "net", "pid"),
                    report.namespaces());
            assertTrue(report.userNamespace().startsWith(ownUsers ? "own range" : "off"), report.userNamespace());
            assertTrue(report.seccomp(), "seccomp filters the server's calls");
            assertTrue(!report.capabilities().contains("cap_21") && report.capabilities().contains("net_bind_service"),
                    "no sys_admin (21) in the bounding set: " + report.capabilities());
            HostState.read().assertSameAs(before);
        } finally {
            target.destroy();
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void anOrdinaryWorkloadStillRuns() {
        assertEquals("hello from a shell\n", TestHost.sh(agent(), A, "echo hello from a shell"));
        assertTrue(TestHost.sh(agent(), A, "ps -o pid,comm 2>/dev/null || ps -e").contains("1 "), "ps lists the server's processes");
        ExecResult web = TestHost.exec(agent(), A, webServerOnLoopback().toArray(String[]::new));
        assertEquals("served on loopback\n", web.stdout(), web.stderr());
    }

    /** A web server on 127.0.0.1 inside, and a client that fetches from it once it listens (two seconds at most). */
    List<String> webServerOnLoopback() {
        return List.of("sh", "-c", "mkdir -p /tmp/www && echo served on loopback > /tmp/www/index.html;"
                + " httpd -f -p 127.0.0.1:8080 -h /tmp/www & for i in $(seq 100); do wget -qO- http://127.0.0.1:8080/ 2>/dev/null"
                + " && break; sleep 0.02; done; kill $!");
    }

    @Test
    void aRebootInsideEndsOnlyThatServer() throws Exception {
        double uptime = uptime();
        exec(agent(), C, PROBE, "reboot");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (agent().servers().get(C).state() == ServerState.running) {
            assertTrue(Instant.now().isBefore(deadline), "server C still runs after its reboot");
            Thread.sleep(20); // polling with a deadline: the reboot ends B on its own time
        }
        assertTrue(uptime() >= uptime, "the host did not reboot");
        assertTrue(agent().servers().get(A).state() == ServerState.running, "the other servers run on");
    }

    /** The host's hostname, mount points and clock (wall time less monotonic time). */
    record HostState(String hostname, Set<String> mounts, long clockOffsetMillis) {
        static HostState read() throws Exception {
            // other agents' servers (another test run on this machine) may come and go meanwhile
            Set<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> !m.contains("corral")).collect(Collectors.toSet());
            return new HostState(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), mounts,
                    System.currentTimeMillis() - System.nanoTime() / 1_000_000);
        }

        void assertSameAs(HostState before) {
            assertEquals(before.hostname, hostname, "the host's hostname");
            assertEquals(before.mounts, mounts, "the host's mounts");
            assertTrue(Math.abs(clockOffsetMillis - before.clockOffsetMillis) < 1000, "the host's clock did not jump");
        }
    }

    /** A block device of the host, as major and minor, from /proc/partitions. */
    static String[] hostDisk() throws Exception {
        String first = Files.readAllLines(Path.of("/proc/partitions")).stream().skip(2).filter(l -> !l.isBlank())
                .findFirst().orElseThrow().trim();
        String[] fields = first.split("\\s+");
        return new String[] {fields[0], fields[1]};
    }

    static double uptime() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    static Path compileProbe() throws Exception {
        Path out = Path.of("target/escape-probe");
        Path source = Path.of("src/test/c/escape-probe.c");
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Command.run("gcc", "-static", "-O2", "-o", out.toString(), source.toString());
        }
        return out;
    }
}
