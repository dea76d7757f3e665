package io.corral.agent.containment;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.exec;
import static io.corral.agent.TestHost.runningFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.runtime.ExecResult;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Root inside a server tries to get out (src/test/c/escape-probe.c, one probe a line). Each probe
 * must end inside with the outcome the server's protection gives (EPERM from seccomp or a dropped
 * capability, EROFS from a read-only /proc, ESRCH for a process it cannot see...), and the same
 * probe run by host root without that protection (the control) must end otherwise: so the outcome
 * inside comes from the protection, not from the arguments. The host is checked unchanged after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeTest {
    static final String PROBE = "/corral-escape-probe", QUEUE_KEY = "0x5eed", DISK_NODE = "/corral-probe-disk";
    /** What each probe must give inside; masked:PATH must give "masked" and read-only:PATH "read-only". */
    static final Map<String, String> INSIDE = Map.ofEntries(
            Map.entry("open-host-disk", "EPERM"), Map.entry("mount-host-disk", "EPERM"), Map.entry("mount-devtmpfs", "EPERM"),
            Map.entry("mknod-block-device", "EPERM"), Map.entry("mknod-mem", "EPERM"),
            Map.entry("init_module", "EPERM"), Map.entry("finit_module", "EPERM"), Map.entry("delete_module", "EPERM"),
            Map.entry("kexec_load", "EPERM"), Map.entry("kexec_file_load", "EPERM"),
            Map.entry("write-core_pattern", "EROFS"), Map.entry("write-drop_caches", "EROFS"),
            Map.entry("write-sysrq-trigger", "EROFS"), Map.entry("remount-proc-sys-rw", "EPERM"), Map.entry("mount-proc", "EPERM"),
            Map.entry("clock_settime", "EPERM"), Map.entry("settimeofday", "EPERM"),
            Map.entry("mount-cgroup", "EPERM"), Map.entry("mount-cgroup2", "EPERM"), Map.entry("write-cgroup-procs", "ENOENT"),
            Map.entry("kill-host-process", "ESRCH"), Map.entry("ptrace-host-process", "ESRCH"),
            Map.entry("read-host-process", "ENOENT"), Map.entry("open_by_handle_at", "EPERM"),
            Map.entry("name_to_handle_at", "EPERM"), Map.entry("chroot-escape", "not-reached"), Map.entry("see-host-path", "ENOENT"),
            Map.entry("msgget-other-server", "ENOENT"), Map.entry("bpf", "EPERM"), Map.entry("perf_event_open", "EPERM"),
            Map.entry("swapoff", "EPERM"), Map.entry("keyctl", "EPERM"), Map.entry("syslog", "EPERM"), Map.entry("iopl", "EPERM"),
            Map.entry("io_uring_setup", "EPERM"), Map.entry("userfaultfd", "EPERM"), Map.entry("setns", "EPERM"),
            Map.entry("x32-call", "killed"), Map.entry("newer-call", "ENOSYS"),
            Map.entry("unshare-user-namespace", "EPERM"));
    /** Where a server's own user namespace answers first: the host's settings belong to a root it does not map. */
    static final Map<String, String> INSIDE_OWN_USERS = Map.of("write-core_pattern", "EACCES", "write-drop_caches", "EACCES",
            "write-sysrq-trigger", "EACCES");
    static final int MASKED = 14, READ_ONLY = 5;
    final String A = "escape-" + template() + "-a", B = "escape-" + template() + "-b", C = "escape-" + template() + "-c",
            D = "escape-" + template() + "-d";

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

    boolean ownUsers() {
        return agent().servers().get(A).users() != null;
    }

    @BeforeAll
    void serversWithTheProbe() throws Exception {
        Path probe = compileProbe();
        for (String id : List.of(A, B, C, D)) {
            ServerView server = runningFrom(agent(), id, template(), null);
            // into the server's own layer, owned by its root, as if the customer had put it there
            Path target = upper(id).resolve(PROBE.substring(1));
            Files.copy(probe, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (server.users() != null) {
                Files.setAttribute(target, "unix:uid", (int) server.users().first());
            }
        }
        // a node of A's own disk, as if it had come with the customer's files
        String[] device = ownDiskDevice(A);
        Command.run("mknod", upper(A).resolve(DISK_NODE.substring(1)).toString(), "b", device[0], device[1]);
        assertEquals(0, exec(agent(), B, PROBE, "make-queue", QUEUE_KEY).exitCode(), "server B has a message queue");
        assertEquals(0, exec(agent(), B, PROBE, "has-queue", QUEUE_KEY).exitCode(), "which B itself reaches");
    }

    @AfterAll
    void destroy() {
        destroyQuietly(agent(), A, B, C, D);
    }

    @Test
    void everyProbeIsRefusedByTheServersProtection() throws Exception {
        HostState before = HostState.read();
        Process target = new ProcessBuilder("sleep", "600").start(); // a host process the probes aim at
        Path marker = Files.writeString(Path.of("/tmp/corral-escape-marker-" + UUID.randomUUID()), "host only");
        Path work = Files.createTempDirectory("corral-escape-control-");
        try {
            ExecResult result = exec(agent(), A, PROBE, "probes", DISK_NODE, Long.toString(target.pid()), marker.toString(),
                    QUEUE_KEY, "/tmp");
            Map<String, String> inside = outcomes(result.stdout());
            String[] device = ownDiskDevice(A);
            Path hostNode = work.resolve("disk");
            Command.run("mknod", hostNode.toString(), "b", device[0], device[1]);
            Map<String, String> control = outcomes(Command.run("unshare", "-m", "-u", "-i", "-n", "--propagation", "private",
                    compileProbe().toAbsolutePath().toString(), "probes", hostNode.toString(), Long.toString(target.pid()),
                    marker.toString(), QUEUE_KEY, work.toString()));
            assertEquals(INSIDE.size() + MASKED + READ_ONLY, inside.size(), "every probe ran (stderr: " + result.stderr() + ")");
            assertEquals(inside.keySet(), control.keySet());

            List<String> table = new ArrayList<>(), notOnThisKernel = new ArrayList<>(), wrong = new ArrayList<>();
            for (String probe : inside.keySet()) {
                String expected = expected(probe), got = inside.get(probe), host = control.get(probe);
                table.add(String.format("%-40s inside %-12s control %s", probe, got, host));
                if (host.equals("absent") || (host.equals("ENOENT") && probe.startsWith("write-") && !probe.equals("write-cgroup-procs"))) {
                    notOnThisKernel.add(probe); // the host's kernel has no such file: nothing to hide
                    if (!got.equals("absent") && !got.equals("ENOENT")) {
                        wrong.add(probe + " shows inside: " + got);
                    }
                } else if (probe.equals("newer-call") && host.equals("ENOSYS")) {
                    notOnThisKernel.add(probe); // fchmodat2 came in Linux 6.6: an older kernel answers ENOSYS itself
                    if (!expected.equals(got)) {
                        wrong.add(probe + " inside gives " + got + ", not " + expected);
                    }
                } else if (!expected.equals(got)) {
                    wrong.add(probe + " inside gives " + got + ", not " + expected);
                } else if (expected.equals(host) && !probe.equals("msgget-other-server")) { // its control is B reaching its queue
                    wrong.add(probe + ": the control gives " + host + " too, so the outcome inside proves nothing");
                }
            }
            System.out.println("escape probes in " + A + ":\n" + String.join("\n", table) + "\nnot on this kernel: " + notOnThisKernel);
            assertEquals(List.of(), wrong);

            assertTrue(target.isAlive(), "the host process the probes aimed at is untouched");
            var report = agent().servers().access().isolation(A);
            assertEquals(ownUsers() ? List.of("mnt", "uts", "ipc", "net", "pid", "cgroup", "user") : List.of("mnt", "uts", "ipc", "net", "pid"),
                    report.namespaces());
            assertTrue(report.userNamespace().startsWith(ownUsers() ? "own range" : "off"), report.userNamespace());
            assertTrue(report.seccomp(), "seccomp filters the server's calls");
            assertEquals(Capabilities.kept(agent().servers().cgroups().controlsDevices()).stream().sorted().toList(),
                    report.capabilities().stream().sorted().toList(), "exactly the kept capabilities");
            HostState.read().assertSameAs(before);
        } finally {
            target.destroy();
            Files.deleteIfExists(marker);
            io.corral.agent.sys.FileTrees.delete(work);
        }
    }

    /**
     * runc's CVE-2019-5736 class, as it was found here: the server's init chroots into a tree of the
     * customer's where proc/self/exe and proc/self/fd/N are the customer's scripts, and waits for an
     * exec. Exec must enter the server's own root, never look anything up in the one its init chose,
     * and run the command with exactly the kept capabilities.
     */
    @Test
    void execRunsNothingFromARootTheServersInitChose() throws Exception {
        String fake = "#!/bin/sh\\necho ran > /fake-ran\\n";
        TestHost.sh(agent(), D, "mkdir -p /fake/proc/self/fd && for f in /fake/proc/self/exe /fake/proc/self/fd/3 /fake/proc/self/fd/9;"
                + " do printf '" + fake + "' > $f && chmod 755 $f; done && cp " + PROBE + " /fake/"
                + " && rm -f /sbin/init && printf '#!/bin/sh\\nexec chroot /fake " + PROBE + " wait\\n' > /sbin/init && chmod 755 /sbin/init");
        agent().servers().restart(D);
        int init = agent().servers().get(D).initPid();
        // init is the script until it has exec'd chroot
        Await.until(Duration.ofSeconds(10), "the server's init runs in /fake", () -> {
            try (Stream<Path> listing = Files.list(Path.of("/proc/" + init + "/root"))) {
                return listing.map(p -> p.getFileName().toString()).collect(Collectors.toSet()).equals(Set.of("corral-escape-probe", "proc"));
            } catch (java.io.IOException e) {
                return false;
            }
        });

        ExecResult status = exec(agent(), D, "cat", "/proc/self/status");
        assertEquals(0, status.exitCode(), status.stderr());
        try (Stream<Path> files = Files.walk(upper(D))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("fake-ran")).toList(), "the fake never ran");
        }
        Map<String, String> fields = status.stdout().lines().filter(l -> l.contains(":\t"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1).trim(), (a, b) -> a));
        List<String> kept = Capabilities.kept(agent().servers().cgroups().controlsDevices()).stream().sorted().toList();
        for (String set : List.of("CapPrm", "CapEff", "CapBnd")) {
            assertEquals(kept, Capabilities.names(Long.parseUnsignedLong(fields.get(set), 16)).stream().sorted().toList(), set);
        }
        assertEquals(0, Long.parseUnsignedLong(fields.get("CapInh"), 16), "no inheritable capabilities");
        assertEquals(0, Long.parseUnsignedLong(fields.get("CapAmb"), 16), "no ambient capabilities");
        assertEquals("2", fields.get("Seccomp"), "the command runs under the seccomp filter");
        assertEquals("0", fields.get("Uid").split("\\s+")[0], "as root inside");
    }

    /** The resources root inside can make the host spend are held to the server's own. */
    @Test
    void resourcesAreHeldToTheServersOwn() throws Exception {
        // /dev/shm is memory: at most half the server's memory limit
        String shm = TestHost.sh(agent(), C, PROBE + " fill /dev/shm; rm -f /dev/shm/fill-*");
        long memoryMiB = agent().servers().get(C).limits().memoryMiB();
        assertTrue(shm.trim().endsWith("then ENOSPC"), shm);
        assertTrue(files(shm) * 64 <= memoryMiB * 1024 / 2, shm + " of 64 KiB within half of " + memoryMiB + " MiB");
        // the root is the server's disk: at most its quota (not in /tmp, which a Debian boot's bootclean may be emptying meanwhile)
        String tmp = TestHost.sh(agent(), C, "mkdir /disk-fill && " + PROBE + " fill /disk-fill; rm -rf /disk-fill");
        long diskMiB = agent().servers().get(C).limits().diskMiB();
        assertTrue(tmp.trim().endsWith("then ENOSPC"), tmp);
        assertTrue(files(tmp) * 64 <= diskMiB * 1024, tmp + " of 64 KiB within " + diskMiB + " MiB");
        // inotify instances: counted for the server's range, so host root can still make one while the server holds all it may
        TestHost.sh(agent(), C, PROBE + " hold-inotify > /tmp/inotify 2>&1 &");
        String held = awaitFile(C, "/tmp/inotify");
        assertTrue(held.contains("then EMFILE"), held);
        if (ownUsers()) {
            assertEquals("PROBE inotify-one ok", Command.run(compileProbe().toAbsolutePath().toString(), "inotify-one").trim(),
                    "host root still makes an inotify instance while the server holds " + held);
        }
        TestHost.sh(agent(), C, "kill $(pidof corral-escape-probe)");
    }

    private static long files(String fillOutput) {
        return Long.parseLong(fillOutput.trim().split("\\s+")[1]);
    }

    private String awaitFile(String id, String path) {
        Await.until(Duration.ofSeconds(20), path + " written in " + id,
                () -> !TestHost.sh(agent(), id, "cat " + path + " 2>/dev/null; true").isBlank());
        return TestHost.sh(agent(), id, "cat " + path);
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
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"));
        int otherInit = agent().servers().get(A).initPid();
        exec(agent(), C, PROBE, "reboot");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (agent().servers().get(C).state() == ServerState.running) {
            assertTrue(Instant.now().isBefore(deadline), "server C still runs after its reboot");
            Thread.sleep(20); // polling with a deadline: the reboot ends C on its own time
        }
        assertEquals(bootId, Files.readString(Path.of("/proc/sys/kernel/random/boot_id")), "the host did not reboot");
        assertEquals(otherInit, agent().servers().get(A).initPid(), "the other servers run on, with the same init");
    }

    private String expected(String probe) {
        if (probe.startsWith("masked:")) {
            return "masked";
        }
        if (probe.startsWith("read-only:")) {
            return "read-only";
        }
        return ownUsers() ? INSIDE_OWN_USERS.getOrDefault(probe, INSIDE.get(probe)) : INSIDE.get(probe);
    }

    private static Map<String, String> outcomes(String output) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        output.lines().filter(l -> l.startsWith("PROBE ")).map(l -> l.split(" "))
                .forEach(f -> outcomes.put(f[1], String.join(" ", List.of(f).subList(2, f.length))));
        return outcomes;
    }

    private Path upper(String id) {
        return agent().state().server(id).resolve("disk/upper");
    }

    /** Major and minor of the loop device that holds the server's disk. */
    private String[] ownDiskDevice(String id) throws Exception {
        String loop = Command.run("losetup", "-j", agent().state().server(id).resolve("disk.img").toString()).split(":")[0];
        String[] hex = Command.run("stat", "-L", "-c", "%t %T", loop).trim().split(" ");
        return new String[] {Long.toString(Long.parseLong(hex[0], 16)), Long.toString(Long.parseLong(hex[1], 16))};
    }

    /**
     * The host's hostname, its core pattern, its mounts and its clock (wall time less monotonic
     * time). Mounts of agents' servers (this one's and other test runs') come and go meanwhile:
     * only those, recognised by where an agent puts them, are left out.
     */
    record HostState(String hostname, String corePattern, Set<String> mounts, long clockOffsetMillis) {
        static HostState read() throws Exception {
            Set<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> !m.matches(".*/servers/[^/]+/(disk|root|template)(/.*)?") && !m.matches(".*/templates/.*"))
                    .collect(Collectors.toSet());
            return new HostState(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(),
                    Files.readString(Path.of("/proc/sys/kernel/core_pattern")), mounts,
                    System.currentTimeMillis() - System.nanoTime() / 1_000_000);
        }

        void assertSameAs(HostState before) {
            assertEquals(before.hostname, hostname, "the host's hostname");
            assertEquals(before.corePattern, corePattern, "the host's core pattern");
            assertEquals(before.mounts, mounts, "the host's mounts");
            assertTrue(Math.abs(clockOffsetMillis - before.clockOffsetMillis) < 1000, "the host's clock did not jump");
        }
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
