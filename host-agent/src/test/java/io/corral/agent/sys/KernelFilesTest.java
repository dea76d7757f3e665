package io.corral.agent.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.corral.agent.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Descriptors kept open on cgroup files: fresh values every read, and a group made anew read anew. */
class KernelFilesTest {

    @Test
    void aGroupRemovedBehindItsDescriptorAndMadeAgainIsReadAgain() throws Exception {
        Path group = pidsGroup("corral-kernel-files-test");
        String max = group.resolve("pids.max").toString();
        Files.createDirectories(group);
        try {
            Files.writeString(Path.of(max), "11");
            assertEquals("11\n", KernelFiles.read(max));
            Files.writeString(Path.of(max), "12");
            assertEquals("12\n", KernelFiles.read(max), "the kept descriptor reads the file's text now");

            // removed without forgetUnder (another process of the agent did it) and made again, with another limit
            Files.delete(group);
            Files.createDirectories(group);
            Files.writeString(Path.of(max), "13");
            assertEquals("13\n", KernelFiles.read(max), "the stale descriptor is dropped and the new group read");

            KernelFiles.forgetUnder(group.toString());
            Files.delete(group);
            assertNull(KernelFiles.read(max), "a group that is gone has no file");
        } finally {
            Files.deleteIfExists(group);
        }
    }

    /** A group with the pids controller: in v1's pids hierarchy, or on v2 beneath the root with pids enabled there. */
    private static Path pidsGroup(String name) throws Exception {
        if (TestHost.cgroupVersion().equals("v1")) {
            return Path.of("/sys/fs/cgroup/pids", name);
        }
        Files.writeString(Path.of("/sys/fs/cgroup/cgroup.subtree_control"), "+pids");
        return Path.of("/sys/fs/cgroup", name);
    }
}
