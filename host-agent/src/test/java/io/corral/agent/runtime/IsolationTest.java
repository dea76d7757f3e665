package io.corral.agent.runtime;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.TestHost;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a customer sees from inside: their own hostname, processes, IPC, mounts and network, nothing of the host or of the other server. */
class IsolationTest {
    static final String A = "iso-a", B = "iso-b";
    static String hostHostname;

    @BeforeAll
    static void twoServers() throws Exception {
        hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        running(A);
        running(B);
    }

    @AfterAll
    static void destroy() {
        destroyQuietly(A, B);
    }

    @Test
    void initIsPid1AndPsShowsOnlyTheServersOwnProcesses() {
        String ps = sh(A, "ps -o pid,comm");
        List<String> rows = ps.lines().skip(1).map(String::trim).toList();
        assertTrue(rows.contains("1 init"), ps);
        // init, the shell running ps, and ps itself: no host process, nothing of server B.
        assertTrue(rows.size() <= 3, ps);
        assertEquals("1", sh(A, "cat /proc/1/stat | cut -d' ' -f1").trim());
    }

    @Test
    void hostnameIsTheServersAndTheHostsIsUnchanged() throws Exception {
        assertEquals("host-" + A, sh(A, "hostname").trim());
        assertEquals("host-" + B, sh(B, "hostname").trim());
        // the hostname is the panel's to set: sethostname needs CAP_SYS_ADMIN, which no server holds
        ExecResult rename = TestHost.exec(A, "hostname", "renamed-inside");
        assertEquals(1, rename.exitCode(), rename.stderr());
        assertTrue(rename.stderr().contains("not permitted"), rename.stderr());
        assertEquals("host-" + A, sh(A, "hostname").trim());
        assertEquals(hostHostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
    }

    @Test
    void ipcObjectsOfTheHostAndOfOtherServersAreInvisible() {
        String hostQueue = Command.run("ipcmk", "-Q");
        String id = hostQueue.replaceAll("\\D+", " ").trim().split(" ")[0];
        try {
            assertTrue(Command.run("cat", "/proc/sysvipc/msg").lines().count() > 1, "the host sees its own queue");
            assertEquals(1, sh(A, "cat /proc/sysvipc/msg").lines().count(), "only the header line inside");
            // a POSIX message queue made inside A
            sh(A, "touch /dev/mqueue/from-a && ls /dev/mqueue");
            assertTrue(sh(A, "ls /dev/mqueue").contains("from-a"));
            assertFalse(sh(B, "ls /dev/mqueue").contains("from-a"));
        } finally {
            Command.run("ipcrm", "-q", id);
        }
    }

    @Test
    void hostMountsAreInvisibleAndRootIsPivoted() throws Exception {
        String mounts = sh(A, "cat /proc/self/mountinfo");
        List<String> expected = new java.util.ArrayList<>(List.of("/", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/proc", "/tmp"));
        expected.addAll(io.corral.agent.containment.Containment.MASKED);
        expected.addAll(io.corral.agent.containment.Containment.READ_ONLY);
        for (String line : mounts.lines().toList()) {
            String mountPoint = line.split(" ")[4];
            assertTrue(expected.contains(mountPoint), "unexpected mount inside: " + line);
            assertFalse(line.contains("devtmpfs"), "no mount shows the host's devices: " + line);
        }
        assertTrue(mounts.lines().anyMatch(l -> l.split(" ")[4].equals("/") && l.contains(" - overlay ")), mounts);
        assertTrue(mounts.contains("/sys ro,"), "sysfs read-only: " + mounts);
        assertTrue(mounts.contains(" /proc/sys ro,"), "the host's sysctls read-only: " + mounts);
        if (Files.exists(Path.of("/proc/kmsg"))) {
            assertTrue(sh(A, "stat -c %t:%T /proc/kmsg").trim().equals("1:3"), "the kernel log is /dev/null inside");
        }
        // the host's root is not reachable: no host-only directory, and .. of / is /
        assertFalse(sh(A, "ls /").contains("work"));
        assertEquals(sh(A, "stat -c %d:%i /").trim(), sh(A, "stat -c %d:%i /..").trim());
    }

    @Test
    void theServersFilesAreItsOwn() {
        sh(A, "echo secret-of-a > /root/note");
        assertEquals("secret-of-a", sh(A, "cat /root/note").trim());
        assertFalse(sh(B, "ls /root").contains("note"));
    }

    @Test
    void networkHasOnlyLoopbackAndItIsUp() {
        String links = sh(A, "ip -o link");
        assertEquals(1, links.lines().count(), links);
        assertTrue(links.contains("lo:") && links.contains("UP"), links);
        assertEquals("lo\n", sh(A, "ls /sys/class/net"), "/sys shows the server's network devices, not the host's");
        assertTrue(sh(A, "ping -c 1 -W 2 127.0.0.1").contains("1 packets received"));
    }
}
