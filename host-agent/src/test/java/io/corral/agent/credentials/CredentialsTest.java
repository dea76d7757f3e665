package io.corral.agent.credentials;

import static io.corral.agent.TestHost.agent;
import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.TestHost;
import io.corral.agent.containment.UserRange;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.Sys;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Root's SSH keys and password hash written into a server's root: before its first boot, with the owner
 * and modes sshd insists on, again after a reinstall, changed and removed later on a running or stopped
 * server, and never through a link the customer left in its files.
 */
class CredentialsTest {
    static final String A = "cred-a", B = "cred-b", C = "cred-c", D = "cred-d", E = "cred-e", PLAIN = "cred-plain",
            PIPE = "cred-pipe";
    /** SHA-512 crypt of "correct horse battery", as `openssl passwd -6 -salt CorralSalt` writes it. */
    static final String HASH = "$6$CorralSalt$tucsEF0B1Rrpb68Rmw06eUi90maMZbVrD77BU/7wjOeIrQzfpF.xdeqLJZWDvPDPp2.dw71VGJJH/L1Luv7mk.";
    private static final int O_NONBLOCK = 04000;
    static final String KEY_1 = SshKeyMaker.ed25519("alice@laptop"), KEY_2 = SshKeyMaker.ed25519("deploy");

    @AfterAll
    static void destroy() {
        destroyQuietly(A, B, C, D, E);
        destroyQuietly(TestHost.agentWithoutUserNamespaces(), PLAIN, PIPE);
    }

    static void create(Agent on, String id, boolean start, Credentials credentials) {
        on.servers().create(new CreateRequest(id, "host-" + id, "busybox", null, start, null, null, null, credentials));
    }

    @Test
    void keysAndPasswordAreInTheRootBeforeItsFirstBootOwnedByTheServersRoot() throws Exception {
        create(agent(), A, false, new Credentials(List.of(KEY_1, KEY_2), HASH));
        // what the template would have: another account, and a root line whose ageing fields stay
        Path upper = agent().state().server(A).resolve("disk/upper");
        UserRange range = servers().get(A).users();
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(upper.resolve("etc/shadow"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        for (Path made : List.of(upper.resolve("etc"), upper.resolve("etc/shadow"))) { // the server's root's, as the template's are inside
            Files.setAttribute(made, "unix:uid", (int) range.first());
            Files.setAttribute(made, "unix:gid", (int) range.first());
        }
        servers().start(A);

        assertEquals(KEY_1 + "\n" + KEY_2 + "\n", sh(A, "cat /root/.ssh/authorized_keys"));
        assertEquals("0 0 700\n0 0 600\n", sh(A, "stat -c '%u %g %a' /root/.ssh /root/.ssh/authorized_keys"));
        long today = System.currentTimeMillis() / 86_400_000L;
        assertEquals("root:" + HASH + ":" + today + ":0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", sh(A, "cat /etc/shadow"));
        assertEquals("640\n", sh(A, "stat -c %a /etc/shadow"), "the shadow file keeps its mode");
        for (String file : List.of("root/.ssh", "root/.ssh/authorized_keys", "etc/shadow")) {
            assertEquals((int) range.first(), Files.getAttribute(upper.resolve(file), "unix:uid"), file + " belongs to the range's root");
        }
        assertFalse(Files.exists(agent().state().server(A).resolve("pending-password-hash")), "taken by the boot");

        // written once: a password root changes inside is not put back by a restart
        sh(A, "sed -i 's/^root:[^:]*:/root:changed-inside:/' /etc/shadow");
        servers().restart(A);
        assertTrue(sh(A, "cat /etc/shadow").startsWith("root:changed-inside:"), sh(A, "cat /etc/shadow"));
    }

    @Test
    void aReinstallWritesThemIntoTheFreshRootAndKeysChangeOnARunningOrStoppedServer() {
        create(agent(), B, true, new Credentials(List.of(KEY_1), HASH));
        sh(B, "echo 'ssh-ed25519 AAAA mine' > /root/.ssh/authorized_keys && echo root:x:1:0::: > /etc/shadow");
        servers().reinstall(B);
        assertEquals(KEY_1 + "\n", sh(B, "cat /root/.ssh/authorized_keys"));
        assertTrue(sh(B, "cat /etc/shadow").startsWith("root:" + HASH + ":"));

        assertEquals(List.of(KEY_1, KEY_2), servers().access().changeSshKeys(B, List.of(KEY_1, KEY_2)));
        assertEquals(KEY_1 + "\n" + KEY_2 + "\n", sh(B, "cat /root/.ssh/authorized_keys"), "written into the running server at once");
        servers().access().changeSshKeys(B, List.of(KEY_2));
        assertEquals(KEY_2 + "\n", sh(B, "cat /root/.ssh/authorized_keys"), "a removed key is gone");
        assertEquals("0 0 600\n", sh(B, "stat -c '%u %g %a' /root/.ssh/authorized_keys"));

        servers().stop(B);
        servers().access().changeSshKeys(B, List.of());
        assertEquals(List.of(), servers().access().sshKeys(B));
        servers().start(B);
        assertEquals("", sh(B, "cat /root/.ssh/authorized_keys"), "a stopped server gets them at its next boot");
        assertTrue(sh(B, "cat /etc/shadow").startsWith("root:" + HASH + ":"), "a change of keys leaves the password alone");

        servers().reinstall(B, null, null, new Credentials(List.of(KEY_1), null));
        assertEquals(KEY_1 + "\n", sh(B, "cat /root/.ssh/authorized_keys"));
        assertFalse(sh(B, "cat /etc/shadow 2>&1 || true").contains("root:$6$"), "a reinstall given no password leaves it unset");
    }

    @Test
    void aRestoredImageBootsWithTheKeysAsTheyNowAreNotAsTheyWere() {
        create(agent(), E, true, new Credentials(List.of(KEY_1), HASH));
        agent().snapshotsAndBackups().snapshot(E, "with-key-1");
        sh(E, "sed -i 's/^root:[^:]*:/root:changed-inside:/' /etc/shadow");
        agent().snapshotsAndBackups().snapshot(E, "changed-inside");
        servers().access().changeSshKeys(E, List.of(KEY_2));

        agent().snapshotsAndBackups().restoreSnapshot(E, "with-key-1");
        assertEquals(KEY_2 + "\n", sh(E, "cat /root/.ssh/authorized_keys"), "the key removed since stays removed");

        servers().access().changeSshKeys(E, List.of());
        agent().snapshotsAndBackups().restoreSnapshot(E, "changed-inside");
        assertEquals("", sh(E, "cat /root/.ssh/authorized_keys"), "no keys now: none after the restore");
        assertTrue(sh(E, "cat /etc/shadow").startsWith("root:" + HASH + ":"), "the spec's password, not the image's");
    }

    @Test
    void aLinkTheCustomerLeftIsNotFollowed() throws Exception {
        Path hostTarget = Path.of("/etc/authorized_keys");
        assertFalse(Files.exists(hostTarget));
        create(agent(), C, true, null);
        String passwd = sh(C, "cat /etc/passwd");

        // a link to the server's /etc (to the host's, in the customer's hopes): refused, nothing written anywhere
        sh(C, "rm -rf /root/.ssh && ln -s /etc /root/.ssh");
        AgentException refused = assertThrows(AgentException.class, () -> servers().access().changeSshKeys(C, List.of(KEY_1)));
        assertEquals(AgentException.Kind.CONFLICT, refused.kind(), refused.getMessage());
        assertTrue(refused.getMessage().contains("/root/.ssh") && refused.getMessage().contains("symbolic link"), refused.getMessage());
        assertEquals("no\n", sh(C, "test -e /etc/authorized_keys && echo yes || echo no"));

        // the same at boot, where the root is a path of the host's: the boot goes on and writes nothing through it
        servers().stop(C);
        servers().access().changeSshKeys(C, List.of(KEY_2));
        servers().start(C);
        assertEquals("no\n", sh(C, "test -e /etc/authorized_keys && echo yes || echo no"));
        assertEquals("/etc\n", sh(C, "readlink /root/.ssh"));
        assertFalse(Files.exists(hostTarget), "nothing written on the host");

        // a link as the file itself is replaced, not written through
        sh(C, "rm /root/.ssh && mkdir /root/.ssh && ln -s /etc/passwd /root/.ssh/authorized_keys");
        servers().access().changeSshKeys(C, List.of(KEY_1));
        assertEquals(passwd, sh(C, "cat /etc/passwd"));
        assertEquals(KEY_1 + "\n", sh(C, "cat /root/.ssh/authorized_keys"));
        assertEquals("regular file\n", sh(C, "stat -c %F /root/.ssh/authorized_keys"));
    }

    @Test
    void withoutAUserNamespaceTheyAreHostRootsAsTheServersRootIs() throws Exception {
        Agent plain = TestHost.agentWithoutUserNamespaces();
        create(plain, PLAIN, true, new Credentials(List.of(KEY_1), HASH));
        assertEquals("0 0 600\n", sh(plain, PLAIN, "stat -c '%u %g %a' /root/.ssh/authorized_keys"));
        assertEquals(0, Files.getAttribute(plain.state().server(PLAIN).resolve("disk/upper/root/.ssh/authorized_keys"), "unix:uid"));
    }

    @Test
    void aPipeTheCustomerLeftAsEtcShadowIsNotOpened() throws Exception {
        Agent plain = TestHost.agentWithoutUserNamespaces();
        create(plain, PIPE, true, new Credentials(List.of(KEY_1), null));
        sh(plain, PIPE, "rm -f /etc/shadow && mkfifo -m 0666 /etc/shadow");
        // a writer whose open returns once anybody opens the pipe to read it; opened as the server sees it,
        // since an overlay's pipe is not its upper layer's
        Path shadow = Path.of("/proc/" + plain.servers().get(PIPE).initPid() + "/root/etc/shadow");
        CompletableFuture<Void> readerCame = CompletableFuture.runAsync(() -> {
            try (FileOutputStream writer = new FileOutputStream(shadow.toFile())) {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Await.until(Duration.ofSeconds(10), "the writer waits for a reader", CredentialsTest::aWriterWaitsOnAPipe);
            // as a password waiting for the server would be: the keys' writer writes /etc/shadow too
            Files.writeString(plain.state().server(PIPE).resolve("pending-password-hash"), HASH);
            AgentException refused = assertThrows(AgentException.class, () -> plain.servers().access().changeSshKeys(PIPE, List.of(KEY_2)));
            assertTrue(refused.getMessage().contains("/etc/shadow"), refused.getMessage());
            // the writer had answered by the time the refusal came, had the pipe been opened
            assertThrows(TimeoutException.class, () -> readerCame.get(1, TimeUnit.SECONDS), "the pipe was opened");
        } finally {
            Sys.close(Sys.open(shadow.toString(), Sys.O_RDONLY | O_NONBLOCK)); // lets the writer go
            readerCame.handle((done, failed) -> done).get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean aWriterWaitsOnAPipe() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("wchan")).equals("wait_for_partner");
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void badCredentialsAreRefusedNamingTheFieldAndNothingIsMade() {
        create(agent(), D, false, null);
        record Bad(Credentials credentials, String field) {
        }
        for (Bad bad : List.of(
                new Bad(new Credentials(List.of(KEY_1, "ssh-dss AAAAB3NzaC1kc3MAAAA= old"), null), "credentials.sshKeys[1]"),
                new Bad(new Credentials(List.of("ssh-rsa " + SshKeyMaker.blob("ssh-ed25519", new byte[32])), null), "credentials.sshKeys[0]"),
                new Bad(new Credentials(List.of(KEY_1 + "\nssh-ed25519 AAAA injected"), null), "credentials.sshKeys[0]"),
                new Bad(new Credentials(java.util.Collections.nCopies(33, KEY_1), null), "credentials.sshKeys"),
                new Bad(new Credentials(List.of(), "plain text"), "credentials.rootPasswordHash"),
                new Bad(new Credentials(List.of(), HASH + ":0:0"), "credentials.rootPasswordHash"))) {
            AgentException e = assertThrows(AgentException.class, () -> create(agent(), "cred-bad", false, bad.credentials()));
            assertEquals(bad.field(), e.field(), e.getMessage());
            assertFalse(Files.exists(agent().state().server("cred-bad")), "nothing made");
            e = assertThrows(AgentException.class, () -> servers().reinstall(D, null, null, bad.credentials()));
            assertEquals(bad.field(), e.field(), e.getMessage());
        }
        AgentException e = assertThrows(AgentException.class, () -> servers().access().changeSshKeys(D, List.of("ssh-ed25519")));
        assertEquals("sshKeys[0]", e.field());
        assertEquals(List.of(), servers().access().sshKeys(D), "nothing changed");
    }
}
