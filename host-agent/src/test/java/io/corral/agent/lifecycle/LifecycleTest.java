package io.corral.agent.lifecycle;

import static io.corral.agent.TestHost.destroyQuietly;
import static io.corral.agent.TestHost.running;
import static io.corral.agent.TestHost.servers;
import static io.corral.agent.TestHost.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.TestHost;
import io.corral.agent.network.Firewall;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** create → start → stop → restart → reinstall → destroy, and the refusals in between. */
class LifecycleTest {

    @Test
    void createStartStopDestroyLeavesNothingBehind() throws Exception {
        String id = "life-1";
        Path dir = TestHost.agent().state().server(id);
        ServerView created = servers().create(new CreateRequest(id, "web1", "busybox", TestHost.limits(128L, 0.5, 64, 256L), false));
        assertEquals(ServerState.stopped, created.state());
        assertTrue(Files.exists(dir.resolve("disk.img")));

        ServerView started = servers().start(id);
        assertEquals(ServerState.running, started.state());
        int init = started.initPid();
        String initStarted = startTime(init);
        assertTrue(Files.exists(Path.of("/proc/" + init)));
        assertEquals(ServerState.running, servers().get(id).state());
        // in every group of the server, the controller-less unified one (pressure stalls) too where the host has it
        java.util.List<Path> groups = servers().cgroups().joinFiles("vs-" + id);
        for (Path procs : groups) {
            assertTrue(Files.readAllLines(procs).contains(Integer.toString(init)), "init is in " + procs);
        }

        servers().stop(id);
        assertEquals(ServerState.stopped, servers().get(id).state());
        assertGone(init, initStarted);
        assertTrue(servers().cgroups().pids("vs-" + id).isEmpty(), "no process of the server is left");

        servers().destroy(id);
        assertFalse(Files.exists(dir), "server directory removed");
        assertFalse(Files.exists(servers().cgroups().file("pids", "vs-" + id, "")), "cgroup removed");
        for (Path procs : groups) {
            assertFalse(Files.exists(procs.getParent()), procs.getParent() + " removed");
        }
        assertFalse(Command.run("losetup", "-a").contains(dir.toString()), "loop device detached");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString()), "nothing mounted");
        assertThrows(AgentException.class, () -> servers().get(id));
    }

    @Test
    void destroyOfARunningServerStopsItFirst() throws Exception {
        String id = "life-2";
        Path dir = TestHost.agent().state().server(id);
        int init = running(id).initPid();
        String started = startTime(init);
        servers().destroy(id);
        assertGone(init, started);
        assertFalse(Files.exists(dir));
        assertFalse(Command.run("losetup", "-a").contains(dir.toString()));
    }

    @Test
    void invalidTransitionsNameBothStates() {
        String id = "life-3";
        try {
            servers().create(new CreateRequest(id, "web3", "busybox", null, false));
            AgentException stop = assertThrows(AgentException.class, () -> servers().stop(id));
            assertEquals(AgentException.Kind.CONFLICT, stop.kind());
            assertEquals("cannot stop server life-3: it is stopped, stop needs running", stop.getMessage());
            AgentException exec = assertThrows(AgentException.class, () -> TestHost.exec(id, "true"));
            assertTrue(exec.getMessage().contains("it is stopped, exec needs running"), exec.getMessage());
            servers().start(id);
            AgentException start = assertThrows(AgentException.class, () -> servers().start(id));
            assertEquals("cannot start server life-3: it is running, start needs stopped", start.getMessage());
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void restartGivesANewInitAndKeepsTheFiles() {
        String id = "life-4";
        try {
            int first = running(id).initPid();
            sh(id, "echo kept > /root/file");
            ServerView restarted = servers().restart(id);
            assertNotEquals(first, restarted.initPid());
            assertEquals("kept", sh(id, "cat /root/file").trim());
            assertEquals("host-" + id, sh(id, "hostname").trim());
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void reinstallGivesAFreshRootButKeepsIdHostnameAndLimits() {
        String id = "life-5";
        try {
            running(id, TestHost.limits(96L, null, null, null));
            sh(id, "echo gone > /root/file && rm /bin/vi");
            ServerView reinstalled = servers().reinstall(id);
            assertEquals(ServerState.running, reinstalled.state());
            assertFalse(sh(id, "ls /root").contains("file"));
            assertTrue(sh(id, "ls /bin").contains("vi"));
            assertEquals("host-" + id, sh(id, "hostname").trim());
            assertEquals(96, servers().get(id).limits().memoryMiB());
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void theDiskQuotaChangesWhileStoppedOnly() {
        String id = "life-6";
        try {
            running(id, TestHost.limits(null, null, null, 128L));
            AgentException refused = assertThrows(AgentException.class,
                    () -> servers().limits().change(id, new LimitsChange(null, null, null, null, null, 256L), null));
            assertEquals("limits.diskMiB", refused.field());
            servers().stop(id);
            servers().limits().change(id, new LimitsChange(null, null, null, null, null, 256L), null);
            servers().start(id);
            long sizeKiB = Long.parseLong(sh(id, "df -k / | tail -1 | awk '{print $2}'").trim());
            assertTrue(sizeKiB > 200 * 1024 && sizeKiB <= 256 * 1024, "filesystem is " + sizeKiB + " KiB");
        } finally {
            destroyQuietly(id);
        }
    }

    @Test
    void aSecondActionWhileOneRunsIsBusyAlsoAcrossProcesses() throws Exception {
        String id = "life-7";
        try {
            servers().create(new CreateRequest(id, "web7", "busybox", null, false));
            // another process on the host (as the CLI would be) runs a reinstall of the server
            try (LockHolder.Holding holding = LockHolder.hold(id, "reinstall")) {
                AgentException busy = assertThrows(AgentException.class, () -> servers().start(id));
                assertEquals("server life-7 is busy running reinstall; try again when it has finished", busy.getMessage());
            }
            assertEquals(ServerState.running, servers().start(id).state());
        } finally {
            destroyQuietly(id);
        }
    }

    /** A change of firewall or forwards is saved before it is applied and may yet be saved back: no one reads it meanwhile. */
    @Test
    void firewallAndForwardsAreNotReadWhileAChangeOfThemRuns() throws Exception {
        String id = "life-8";
        try {
            servers().create(new CreateRequest(id, "web8", "busybox", null, false));
            try (LockHolder.Holding holding = LockHolder.hold(id, "firewall")) {
                assertEquals("server life-8 is busy running firewall; try again when it has finished",
                        assertThrows(AgentException.class, () -> servers().rules().firewall(id)).getMessage());
                assertEquals(AgentException.Kind.CONFLICT, assertThrows(AgentException.class, () -> servers().rules().forwards(id)).kind());
            }
            assertEquals(Firewall.OPEN, servers().rules().firewall(id));
            assertEquals(List.of(), servers().rules().forwards(id));
        } finally {
            destroyQuietly(id);
        }
    }

    /**
     * Gone, dead and not yet reaped (a zombie until the agent, its subreaper, collects it), or its number already
     * given to a new process (this machine may be busy): not the same process running.
     */
    static void assertGone(int pid, String startTime) {
        assertFalse(Files.exists(Path.of("/proc/" + pid)) && startTime.equals(startTime(pid)) && !"Z".equals(state(pid)),
                "init " + pid + " is gone");
    }

    /** Field 3 of /proc/<pid>/stat: the process's state (Z: dead, not yet reaped). */
    static String state(int pid) {
        return statField(pid, 0);
    }

    /** Field 22 of /proc/<pid>/stat: when the process started, which tells a process from a later one with its number. */
    static String startTime(int pid) {
        return statField(pid, 19);
    }

    /** A field of /proc/<pid>/stat, counted from the one after the command's name (field 3); "gone" without the process. */
    private static String statField(int pid, int index) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index];
        } catch (java.io.IOException e) {
            return "gone";
        }
    }
}
