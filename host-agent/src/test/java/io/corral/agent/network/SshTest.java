package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.credentials.Credentials;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ssh into servers of the debian-ssh template from a neighbour on their network (a namespace of the test on the
 * servers' bridge; IPv6 in a /64 no other test uses, because this test runs in the host's network namespace beside the
 * panel's tests, see test.sh), with the host's ssh client: root's key, which the agent wrote before
 * the first boot, logs in; another key is refused; and each server made its own host keys at its first boot.
 * Its template takes a debootstrap of its own (33 s here, beside a running test suite).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshTest {
    private static final Logger LOG = Logger.getLogger(SshTest.class.getName());
    static final String S = "ssh-s", T = "ssh-t";
    static final String S6 = "2001:db8:55::150", T6 = "2001:db8:55::151";
    final String name = "ts" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    Path keys;
    Outside neighbour;

    NetworkSpec network(String address) {
        return new NetworkSpec(name, "public", "acme", null, null, address + "/64", "2001:db8:55::1", null);
    }

    @BeforeAll
    void servers() throws Exception {
        long started = System.nanoTime();
        TestHost.agent().templates().build("debian-ssh");
        LOG.info("debian-ssh template ready in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        keys = Files.createTempDirectory("corral-ssh-test");
        Command.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root-key", "-f", keys.resolve("good").toString());
        Command.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other-key", "-f", keys.resolve("wrong").toString());
        Credentials credentials = new Credentials(List.of(Files.readString(keys.resolve("good.pub")).trim()), null);
        for (String[] server : new String[][] {{S, S6}, {T, T6}}) {
            TestHost.servers().create(new CreateRequest(server[0], "host-" + server[0], "debian-ssh", null, true, network(server[1]), null,
                    null, credentials));
        }
        neighbour = Outside.onBridge("crb-" + name, "2001:db8:55::200/64");
        for (String address : List.of(S6, T6)) {
            Await.until(Duration.ofSeconds(60), "sshd answers on " + address, () -> neighbour.succeeds("timeout", "5", "bash", "-c",
                    "exec 3<>/dev/tcp/" + address + "/22 && head -c 4 <&3 | grep -q SSH"));
        }
    }

    @AfterAll
    void destroy() {
        TestHost.destroyQuietly(S, T);
        if (neighbour != null) {
            neighbour.close();
        }
        TestHost.deleteBridges(name);
        if (keys != null) {
            FileTrees.delete(keys);
        }
    }

    String ssh(String key, String address, String command) {
        return neighbour.run("ssh", "-i", keys.resolve(key).toString(), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "root@" + address, command);
    }

    @Test
    void rootsKeyLogsInAndAnotherKeyIsRefused() {
        assertEquals("host-ssh-s root", ssh("good", S6, "echo $(hostname) $(id -un)"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ssh("wrong", S6, "true"));
        assertTrue(refused.getMessage().contains("Permission denied"), refused.getMessage());
    }

    @Test
    void eachServerMadeItsOwnHostKeysAtItsFirstBoot() throws Exception {
        String s = TestHost.sh(S, "cat /etc/ssh/ssh_host_ed25519_key.pub"), t = TestHost.sh(T, "cat /etc/ssh/ssh_host_ed25519_key.pub");
        assertTrue(s.startsWith("ssh-ed25519 "), s);
        assertNotEquals(s, t, "two servers of one template share no host key");
        Path template = TestHost.agent().state().templates().resolve("debian-ssh/rootfs/etc/ssh");
        try (var files = Files.list(template)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("ssh_host_")), "the template holds none");
        }
        assertEquals("host-ssh-t root", ssh("good", T6, "echo $(hostname) $(id -un)"));
    }
}
