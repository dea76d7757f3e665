package io.corral.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real agent whose host tool (mkfs.ext4, e2fsck ...) the test can hold: each run of it notes that it began, then waits
 * while held, then runs the host's own, as a slow disk would take its time.
 */
final class HeldTool implements AutoCloseable {
    private final Path dir;
    final RealAgent agent;

    private HeldTool(Path dir, RealAgent agent) {
        this.dir = dir;
        this.agent = agent;
    }

    static HeldTool start(String tool) throws Exception {
        Path dir = Files.createTempDirectory("corral-held-" + tool);
        TestFiles.standIn(dir, tool, real -> "echo began >> " + dir.resolve("runs") + "\nwhile [ -e " + dir.resolve("hold")
                + " ]; do sleep 0.05; done\nexec " + real + " \"$@\"\n");
        return new HeldTool(dir, RealAgent.startWithToolsFirst(dir));
    }

    void hold() throws IOException {
        Files.createFile(dir.resolve("hold"));
    }

    void release() throws IOException {
        Files.delete(dir.resolve("hold"));
    }

    /** Whether the tool has begun a run since the agent started. */
    boolean began() {
        return Files.exists(dir.resolve("runs"));
    }

    @Override
    public void close() throws Exception {
        agent.close();
        TestFiles.deleteTree(dir);
    }
}
