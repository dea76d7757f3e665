package io.corral.agent.backup;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.SnapshotsAndBackups;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Backups of real busybox servers to the agent's store: incremental, restored, checked, collected. */
class BackupTest {
    private static final String CHECKSUM = "md5sum /root/data | cut -d' ' -f1";

    @Test
    void aSecondBackupStoresOnlyWhatChangedAndRestoresTheFirstState() throws IOException {
        Agent agent = TestHost.agent();
        SnapshotsAndBackups copies = agent.snapshotsAndBackups();
        String id = "bk-incr";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 128L));
            sh(id, "dd if=/dev/urandom of=/root/data bs=1048576 count=16 2>/dev/null");
            String first = sh(id, CHECKSUM);
            SnapshotsAndBackups.Made<Backup> made = copies.backup(id, "b1");
            assertTrue(made.created());
            Backup b1 = made.value();
            assertTrue(b1.newChunks() >= 16, "the random data is new: " + b1);
            assertTrue(b1.storedBytes() >= 16L << 20, "random data does not compress: " + b1);
            assertEquals(128L << 20, b1.diskBytes());
            assertFalse(Frozen.group(agent.servers().cgroups(), "vs-" + id), "thawed");

            sh(id, "dd if=/dev/urandom of=/root/data bs=4096 count=1 seek=100 conv=notrunc 2>/dev/null");
            Backup b2 = copies.backup(id, "b2").value();
            assertTrue(b2.newChunks() <= 8, "4 KiB changed, a few chunks new (data, inode, journal): " + b2);
            assertTrue(b2.storedBytes() < 8L << 20, b2.toString());
            assertTrue(b2.totalBytes() >= 16L << 20, "it references the unchanged data: " + b2);
            assertFalse(copies.backup(id, "b2").created(), "a retry finds it made");
            assertEquals(List.of("b1", "b2"), copies.backups(id).stream().map(Backup::id).toList());

            assertEquals(ServerState.running, copies.restoreBackup(id, id, "b1").state());
            assertEquals(first, sh(id, CHECKSUM), "the first backup's data is back");
        } finally {
            destroyQuietly(id);
            deleteBackups(agent, id);
        }
    }

    @Test
    void aBackupRestoresIntoAnotherServerAsItsOwnFiles() {
        // each server its own user range: the files root wrote in one are root's in the other
        restoreIntoAnother(TestHost.agent(), "bk-src", "bk-dst");
    }

    @Test
    void aBackupRestoresIntoAnotherServerWithoutUserNamespaces() {
        restoreIntoAnother(TestHost.agentWithoutUserNamespaces(), "bk-src-root", "bk-dst-root");
    }

    private static void restoreIntoAnother(Agent agent, String source, String target) {
        SnapshotsAndBackups copies = agent.snapshotsAndBackups();
        try {
            TestHost.runningFrom(agent, source, "busybox", TestHost.limits(null, null, null, 64L));
            sh(agent, source, "dd if=/dev/urandom of=/root/data bs=1048576 count=4 2>/dev/null && chown 1000:1000 /root/data"
                    + " && chmod 4755 /root/data");
            String sum = sh(agent, source, CHECKSUM);
            copies.backup(source, "b1");
            TestHost.runningFrom(agent, target, "busybox", TestHost.limits(null, null, null, 96L));
            assertEquals(ServerState.running, copies.restoreBackup(target, source, "b1").state());
            assertEquals(sum, sh(agent, target, CHECKSUM), "the source's files in the target");
            assertEquals("1000 1000 4755\n0\n", sh(agent, target, "stat -c '%u %g %a' /root/data; stat -c %u /root"),
                    "owned as in the source, set-user-id kept");
            long blocks = Long.parseLong(sh(agent, target, "df -k / | tail -1 | awk '{print $2}'").trim());
            assertTrue(blocks > 64 * 1024 && blocks <= 96 * 1024, "resized to the target's quota: " + blocks + " KiB");
            agent.servers().destroy(source);
            assertEquals(1, copies.backups(source).size(), "the store outlives the server");
        } finally {
            destroyQuietly(agent, source, target);
            deleteBackups(agent, source);
        }
    }

    @Test
    void aShiftACrashLeftMountedDoesNotHoldUpADestroy() throws IOException {
        Agent agent = TestHost.agent();
        String id = "bk-shift-left";
        Path dir = agent.state().server(id);
        Path shifting = dir.resolve("snapshots/shifting.tmp");
        try {
            agent.servers().create(new CreateRequest(id, id, "busybox", TestHost.limits(null, null, null, 64L), false));
            Files.createDirectories(shifting);
            // as a restore's image is while its owners move: a file system of its own on the mount point
            Sys.mount("tmpfs", shifting.toString(), "tmpfs", Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC, "size=1m,mode=0700");
            Files.writeString(shifting.resolve("customer-file"), "data");
            agent.servers().destroy(id);
            assertFalse(Files.exists(dir), "destroyed whole");
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(shifting.toString()), "unmounted");
        } finally {
            Sys.umount(shifting.toString(), Sys.MNT_DETACH);
            destroyQuietly(id);
        }
    }

    @Test
    void aCorruptChunkIsRefusedNamingItAndTheServerIsUnchanged() throws IOException {
        Agent agent = TestHost.agent();
        SnapshotsAndBackups copies = agent.snapshotsAndBackups();
        String id = "bk-bad";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "dd if=/dev/urandom of=/root/data bs=1048576 count=2 2>/dev/null");
            copies.backup(id, "b1");
            sh(id, "echo later > /root/note");
            int init = agent.servers().get(id).initPid();
            // the chunk of random data (it compresses least)
            JsonNode biggest = null;
            for (JsonNode chunk : manifest(agent, id, "b1").get("chunks")) {
                if (biggest == null || chunk.get("size").asLong() > biggest.get("size").asLong()) {
                    biggest = chunk;
                }
            }
            String sha = biggest.get("sha256").asText();
            Path chunk = storeRoot(agent).resolve("servers/" + id + "/chunks").resolve(sha.substring(0, 2)).resolve(sha);
            try (RandomAccessFile file = new RandomAccessFile(chunk.toFile(), "rw")) {
                file.seek(file.length() / 2);
                int b = file.read();
                file.seek(file.length() / 2);
                file.write(b ^ 0x40);
            }
            AgentException e = assertThrows(AgentException.class, () -> copies.restoreBackup(id, id, "b1"));
            assertEquals(AgentException.Kind.UNUSABLE, e.kind());
            assertEquals("backupId", e.field());
            assertTrue(e.getMessage().startsWith("backup b1 failed its checksum: chunk " + biggest.get("index").asLong() + " "), e.getMessage());
            assertEquals(init, agent.servers().get(id).initPid(), "the server ran on");
            assertEquals("later\n", sh(id, "cat /root/note"), "its disk is the one it had");
            assertFalse(Files.exists(agent.state().server(id).resolve("disk.img.restoring")), "no new image left");

            Files.write(storeRoot(agent).resolve("servers/" + id + "/b1.json"), new byte[] {'{', '}'});
            AgentException manifest = assertThrows(AgentException.class, () -> copies.restoreBackup(id, id, "b1"));
            assertTrue(manifest.getMessage().contains("its manifest's SHA-256 is"), manifest.getMessage());
        } finally {
            destroyQuietly(id);
            deleteBackups(agent, id);
        }
    }

    @Test
    void backupsKeepTheStoresReserveFreeAndAreCappedPerServer() throws IOException {
        Path dir = Files.createTempDirectory("corral-small-store-");
        Path image = Files.createTempFile("corral-image-", ".img");
        try {
            Sys.mount("tmpfs", dir.toString(), "tmpfs", 0, "size=300m,mode=0700");
            BackupStore store = new BackupStore(dir);
            byte[] noise = new byte[60 << 20];
            new java.util.Random(16).nextBytes(noise);
            Files.write(image, java.util.Arrays.copyOf(noise, 1 << 20));
            for (int i = 0; i < BackupStore.MAX_PER_SERVER; i++) {
                store.write("bk-small", "b" + i, "busybox", null, image, 0);
            }
            AgentException cap = assertThrows(AgentException.class, () -> store.write("bk-small", "one-more", "busybox", null, image, 0));
            assertEquals(AgentException.Kind.CONFLICT, cap.kind());
            assertTrue(cap.getMessage().contains("has 64 backups"), cap.getMessage());
            store.delete("bk-small", "b0");
            store.write("bk-small", "one-more", "busybox", null, image, 0);

            // 60 MiB that do not compress; above its reserve the store has room for about 44
            store.delete("bk-small", "b1");
            Files.write(image, noise);
            AgentException full = assertThrows(AgentException.class, () -> store.write("bk-small", "big", "busybox", null, image, 0));
            assertEquals(AgentException.Kind.CONFLICT, full.kind());
            assertTrue(full.getMessage().contains("the backup store has ") && full.getMessage().contains("256 MiB of it stay free"),
                    full.getMessage());
            assertEquals(BackupStore.MAX_PER_SERVER - 1, store.list("bk-small").size(), "no backup more listed");
            assertTrue(Files.getFileStore(dir).getUsableSpace() >= DirectoryObjects.RESERVE_BYTES, "the reserve stays free");
        } finally {
            Sys.umount(dir.toString(), Sys.MNT_DETACH);
            Files.deleteIfExists(dir);
            Files.deleteIfExists(image);
        }
    }

    @Test
    void deletingABackupCollectsOnlyTheChunksNoOtherReferences() throws IOException {
        Agent agent = TestHost.agent();
        SnapshotsAndBackups copies = agent.snapshotsAndBackups();
        String id = "bk-gc";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "dd if=/dev/urandom of=/root/kept bs=1048576 count=2 2>/dev/null");
            sh(id, "dd if=/dev/urandom of=/root/dropped bs=1048576 count=2 2>/dev/null");
            copies.backup(id, "b1");
            Set<String> inB1 = chunks(agent, id, "b1");
            sh(id, "rm /root/dropped");
            String kept = sh(id, "md5sum /root/kept");
            copies.backup(id, "b2");
            Set<String> inB2 = chunks(agent, id, "b2");
            Set<String> onlyB1 = new HashSet<>(inB1);
            onlyB1.removeAll(inB2);
            assertFalse(onlyB1.isEmpty(), "the dropped file's chunks are b1's alone");

            Backup b2 = copies.backups(id).get(1);
            assertEquals(copies.backups(id).get(0).storedBytes() + b2.storedBytes(), copies.backupStorage(id).storedBytes(),
                    "each backup wrote its own chunks, the second only those the first had not");
            copies.deleteBackup(id, "b1");
            copies.deleteBackup(id, "b1"); // absent: nothing to do
            assertEquals(b2.totalBytes(), copies.backupStorage(id).storedBytes(),
                    "the chunks b1 wrote that b2 uses are b2's now: the store holds all of b2, more than b2 wrote");
            assertTrue(b2.totalBytes() > b2.storedBytes());
            Set<String> stored = storedChunks(agent, id);
            assertTrue(stored.containsAll(inB2), "b2's chunks stay, shared ones included");
            for (String sha : onlyB1) {
                assertFalse(stored.contains(sha), "b1's own chunk " + sha + " is collected");
            }
            sh(id, "rm /root/kept");
            copies.restoreBackup(id, id, "b2");
            assertEquals(kept, sh(id, "md5sum /root/kept"));
        } finally {
            destroyQuietly(id);
            deleteBackups(agent, id);
        }
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        SnapshotsAndBackups copies = TestHost.agent().snapshotsAndBackups();
        assertEquals("id", assertThrows(AgentException.class, () -> copies.backup("nobody", "UPPER")).field());
        assertEquals("serverId", assertThrows(AgentException.class, () -> copies.backups("../x")).field());
        assertEquals("serverId", assertThrows(AgentException.class, () -> copies.restoreBackup("nobody", null, "b1")).field());
        assertEquals(AgentException.Kind.NOT_FOUND, assertThrows(AgentException.class, () -> copies.backup("nobody", "b1")).kind());
        assertTrue(copies.backups("nobody").isEmpty());
    }

    private static Path storeRoot(Agent agent) {
        return ((DirectoryObjects) agent.snapshotsAndBackups().store().objects()).root();
    }

    private static JsonNode manifest(Agent agent, String id, String backupId) throws IOException {
        return Json.MAPPER.readTree(storeRoot(agent).resolve("servers/" + id + "/" + backupId + ".json").toFile());
    }

    private static Set<String> chunks(Agent agent, String id, String backupId) throws IOException {
        Set<String> all = new HashSet<>();
        manifest(agent, id, backupId).get("chunks").forEach(c -> all.add(c.get("sha256").asText()));
        return all;
    }

    private static Set<String> storedChunks(Agent agent, String id) throws IOException {
        try (Stream<Path> files = Files.walk(storeRoot(agent).resolve("servers/" + id + "/chunks"))) {
            Set<String> all = new HashSet<>();
            files.filter(Files::isRegularFile).forEach(f -> all.add(f.getFileName().toString()));
            return all;
        }
    }

    /** The test's backups removed from the store with their chunks, even when they cannot be read any more. */
    static void deleteBackups(Agent agent, String serverId) {
        Path dir = storeRoot(agent).resolve("servers").resolve(serverId);
        for (Backup b : List.copyOf(listQuietly(agent, serverId))) {
            agent.snapshotsAndBackups().deleteBackup(serverId, b.id());
        }
        if (Files.isDirectory(dir)) {
            io.corral.agent.sys.FileTrees.delete(dir);
        }
    }

    private static List<Backup> listQuietly(Agent agent, String serverId) {
        try {
            return agent.snapshotsAndBackups().backups(serverId);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
