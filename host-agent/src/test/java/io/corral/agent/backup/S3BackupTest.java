package io.corral.agent.backup;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.DiskCopies;
import io.corral.agent.lifecycle.SnapshotsAndBackups;
import io.corral.agent.runtime.ServerState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Backups of real busybox servers to an S3-compatible bucket (S3Mock on loopback): incremental, restored, checked, collected. */
class S3BackupTest {
    private static final String PREFIX = "hosts/test";
    private static final String SUM = "sha256sum /root/data | cut -d' ' -f1";
    private static S3Mock s3;
    private static final AtomicInteger chunkPuts = new AtomicInteger();
    private static SnapshotsAndBackups copies;

    @BeforeAll
    static void start() {
        s3 = S3Mock.start("corral-backups");
        Agent agent = TestHost.agent();
        copies = new SnapshotsAndBackups(agent.servers(), new DiskCopies(agent.servers(), agent.state()), new BackupStore(countingChunkPuts(S3Objects.open(s3.settings(PREFIX)))));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aListingHoldsNoMoreThanItsBoundInEitherStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // a backup and a deletion list a server's chunks in memory: past the bound, refused rather than held
        S3Objects bucket = S3Objects.open(s3.settings("listing"));
        DirectoryObjects directory = new DirectoryObjects(dir);
        for (StoreObjects store : List.of(bucket, directory)) {
            for (String key : List.of("servers/l/chunks/aa/1", "servers/l/chunks/ab/2", "servers/l/chunks/ac/3")) {
                store.put(key, new byte[] {1}, 1);
            }
            assertEquals(3, store.tree("servers/l/chunks/", 3).size());
            AgentException refused = assertThrows(AgentException.class, () -> store.tree("servers/l/chunks/", 2), store.where());
            assertTrue(refused.getMessage().contains("more than 2 objects under servers/l/chunks/"), refused.getMessage());
            store.deleteTree("servers/l/");
            assertEquals(0, store.tree("servers/l/", 1).size(), "a tree deleted whatever its size");
        }
    }

    @Test
    void aBackupGoesToTheBucketASecondUploadsOnlyTheChangedChunksAndRestoresTheFileInside() {
        String id = "s3-incr";
        String dir = PREFIX + "/servers/" + id + "/";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 128L));
            sh(id, "dd if=/dev/urandom of=/root/data bs=1048576 count=16 2>/dev/null");
            String first = sh(id, SUM);
            chunkPuts.set(0);
            Backup b1 = copies.backup(id, "b1").value();
            List<String> afterB1 = s3.keys(dir);
            assertTrue(afterB1.containsAll(List.of(dir + "b1.json", dir + "b1.sha256")), afterB1.toString());
            assertTrue(b1.newChunks() >= 16, "the random data is new: " + b1);
            assertEquals(b1.newChunks(), chunkPuts.get(), "one PUT per new chunk");
            assertEquals(b1.newChunks(), chunks(afterB1), "each in the bucket");

            sh(id, "dd if=/dev/urandom of=/root/data bs=1048576 count=1 seek=5 conv=notrunc 2>/dev/null");
            chunkPuts.set(0);
            Backup b2 = copies.backup(id, "b2").value();
            assertTrue(b2.newChunks() >= 1 && b2.newChunks() <= 8, "1 MiB changed: its chunk or two, inode and journal: " + b2);
            assertEquals(b2.newChunks(), chunkPuts.get(), "the unchanged chunks are not uploaded again");
            assertEquals(chunks(afterB1) + b2.newChunks(), chunks(s3.keys(dir)));
            assertFalse(copies.backup(id, "b2").created(), "a retry finds it made");

            BackupStore restarted = new BackupStore(S3Objects.open(s3.settings(PREFIX))); // as an agent started again
            assertEquals(List.of(b1.sha256(), b2.sha256()), restarted.list(id).stream().map(Backup::sha256).toList());

            assertEquals(ServerState.running, copies.restoreBackup(id, id, "b1").state());
            assertEquals(first, sh(id, SUM), "the first backup's data is back");
        } finally {
            destroyQuietly(id);
            deleteBackups(id);
        }
    }

    @Test
    void aCorruptChunkObjectIsRefusedNamingItAndTheServerIsUnchanged() {
        String id = "s3-bad";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "dd if=/dev/urandom of=/root/data bs=1048576 count=2 2>/dev/null");
            copies.backup(id, "b1");
            sh(id, "echo later > /root/note");
            int init = TestHost.agent().servers().get(id).initPid();
            Manifest manifest = Manifest.parse(object(PREFIX + "/servers/" + id + "/b1.json"), "b1");
            Manifest.Chunk biggest = manifest.chunks().stream().max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
            String key = PREFIX + "/servers/" + id + "/chunks/" + biggest.sha256().substring(0, 2) + "/" + biggest.sha256();
            byte[] bytes = object(key);
            bytes[bytes.length / 2] ^= 0x40;
            try (S3Client client = s3.client()) {
                client.putObject(b -> b.bucket(s3.bucket).key(key), RequestBody.fromBytes(bytes));
            }

            AgentException e = assertThrows(AgentException.class, () -> copies.restoreBackup(id, id, "b1"));
            assertEquals(AgentException.Kind.UNUSABLE, e.kind());
            assertEquals("backupId", e.field());
            assertTrue(e.getMessage().startsWith("backup b1 failed its checksum: chunk " + biggest.index() + " "), e.getMessage());
            assertEquals(init, TestHost.agent().servers().get(id).initPid(), "the server ran on");
            assertEquals("later\n", sh(id, "cat /root/note"), "its disk is the one it had");
        } finally {
            destroyQuietly(id);
            deleteBackups(id);
        }
    }

    @Test
    void deletingABackupRemovesItsManifestAndTheChunksNoOtherReferences() {
        String id = "s3-gc";
        String dir = PREFIX + "/servers/" + id + "/";
        try {
            TestHost.running(id, TestHost.limits(null, null, null, 64L));
            sh(id, "dd if=/dev/urandom of=/root/kept bs=1048576 count=2 2>/dev/null");
            sh(id, "dd if=/dev/urandom of=/root/dropped bs=1048576 count=2 2>/dev/null");
            copies.backup(id, "b1");
            Set<String> inB1 = chunkKeys(id, "b1");
            sh(id, "rm /root/dropped");
            copies.backup(id, "b2");
            Set<String> inB2 = chunkKeys(id, "b2");
            Set<String> onlyB1 = new HashSet<>(inB1);
            onlyB1.removeAll(inB2);
            Set<String> shared = new HashSet<>(inB1);
            shared.retainAll(inB2);
            assertFalse(onlyB1.isEmpty(), "the dropped file's chunks are b1's alone");
            assertFalse(shared.isEmpty(), "the kept file's chunks are in both");

            copies.deleteBackup(id, "b1");
            copies.deleteBackup(id, "b1"); // absent: nothing to do
            List<String> left = s3.keys(dir);
            assertFalse(left.contains(dir + "b1.json") || left.contains(dir + "b1.sha256"), left.toString());
            assertTrue(left.containsAll(inB2), "b2's chunks stay, the shared ones too");
            for (String key : onlyB1) {
                assertFalse(left.contains(key), "b1's own chunk " + key + " is collected");
            }
            copies.deleteBackup(id, "b2");
            assertEquals(List.of(), s3.keys(dir), "with its last backup, all of the server's");
        } finally {
            destroyQuietly(id);
            deleteBackups(id);
        }
    }

    private static long chunks(List<String> keys) {
        return keys.stream().filter(k -> k.contains("/chunks/")).count();
    }

    private static Set<String> chunkKeys(String id, String backupId) {
        Set<String> all = new HashSet<>();
        for (Manifest.Chunk c : Manifest.parse(object(PREFIX + "/servers/" + id + "/" + backupId + ".json"), backupId).chunks()) {
            all.add(PREFIX + "/servers/" + id + "/chunks/" + c.sha256().substring(0, 2) + "/" + c.sha256());
        }
        return all;
    }

    private static byte[] object(String key) {
        try (S3Client client = s3.client()) {
            return client.getObjectAsBytes(b -> b.bucket(s3.bucket).key(key)).asByteArray();
        }
    }

    /** The store's objects, counting the chunks it puts. */
    private static StoreObjects countingChunkPuts(StoreObjects objects) {
        return (StoreObjects) Proxy.newProxyInstance(StoreObjects.class.getClassLoader(), new Class<?>[] {StoreObjects.class}, (proxy, method, args) -> {
            if (method.getName().equals("put") && ((String) args[0]).contains("/chunks/")) {
                chunkPuts.incrementAndGet();
            }
            try {
                return method.invoke(objects, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static void deleteBackups(String id) {
        try (S3Client client = s3.client()) {
            for (String key : s3.keys(PREFIX + "/servers/" + id + "/")) {
                client.deleteObject(b -> b.bucket(s3.bucket).key(key));
            }
        }
    }
}
