package io.corral.agent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent as docker-compose.yml runs it, in a container of unshare's making: a mount namespace of its
 * own (and UTS and IPC namespaces), a /dev of its own that holds a copy of the usual nodes and
 * loop-control but no loop device, the host's cgroup tree bound over /sys/fs/cgroup, its state
 * directory a mount that shares mounts with the host's (the compose file's `propagation: rshared`), and
 * the host's PID and cgroup namespaces (`pid: host`, `cgroup: host`). It creates and starts servers,
 * making the loop nodes its /dev lacks; when the container goes (the agent killed, its mount namespace
 * with it) the servers run on, and the agent of a new container adopts them, on the disks the first
 * one mounted, and destroys them.
 */
class ContainerTest {
    /** A /dev like a privileged container's, taken before loop devices were made, and the host's cgroup tree; then the command. */
    private static final String CONTAINER = """
            set -e
            nodes=$(for n in null zero full random urandom tty loop-control; do stat -c "$n %a %t %T" /dev/$n; done)
            mount --make-rprivate /dev
            mount -t tmpfs -o mode=755,nosuid tmpfs /dev
            echo "$nodes" | while read -r name mode major minor; do mknod -m "$mode" "/dev/$name" c "0x$major" "0x$minor"; done
            mkdir /dev/shm && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
            mount --make-rprivate /sys
            mount --rbind /sys/fs/cgroup /sys/fs/cgroup
            exec "$@"
            """;

    @Test
    void serversOutliveTheAgentsContainerAndTheNextContainerAdoptsThem() throws Exception {
        Path host = Files.createTempDirectory("corral-container-test-");
        Path state = host.resolve("state");
        Files.createDirectories(state);
        // the host side of the compose file's bind mount: a mount whose peers get the agent's mounts
        Command.run("mount", "--bind", state.toString(), state.toString());
        Command.run("mount", "--make-shared", state.toString());
        try {
            int init;
            try (AgentProcess first = container(state)) {
                assertEquals(List.of(), loopNodes(first), "the container's /dev starts without loop devices");
                first.json("POST", "/v1/templates/busybox/build", null);
                init = createAndStart(first, "ct-one");
                String disk = diskDevice(state, "ct-one");
                assertEquals(List.of(disk), loopNodes(first), "the agent made the node of the loop device the kernel gave it");
                first.kill();
            }
            assertTrue(InitProcess.read(init).isPresent(), "the server runs on without the agent and its container");
            assertTrue(Files.exists(state.resolve("servers/ct-one/disk/upper")), "its disk stays mounted on the host");

            try (AgentProcess second = container(state)) {
                JsonNode adopted = second.json("GET", "/v1/servers/ct-one", null);
                assertEquals("running", adopted.get("state").asText());
                assertEquals(init, adopted.get("initPid").asInt(), "the same init, adopted");
                assertEquals("ct-one\n", second.json("POST", "/v1/servers/ct-one/exec", "{\"command\":[\"hostname\"]}")
                        .get("stdout").asText());
                assertEquals(1, attachments(state, "ct-one"), "its disk was not attached and mounted a second time");

                createAndStart(second, "ct-two");
                assertTrue(loopNodes(second).contains(diskDevice(state, "ct-two")), "a new container makes the nodes it lacks too");
                assertEquals(204, second.call("DELETE", "/v1/servers/ct-one", null).statusCode());
                assertEquals(204, second.call("DELETE", "/v1/servers/ct-two", null).statusCode());
                assertTrue(InitProcess.read(init).isEmpty(), "the adopted server was ended");
                assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(state.toString() + "/servers"),
                        "no disk is left mounted on the host");
            }
        } finally {
            AgentProcess.destroyServers(state);
            Command.run("umount", "--lazy", state.toString());
            FileTrees.delete(host);
        }
    }

    private static AgentProcess container(Path state) throws IOException {
        return new AgentProcess(state).wrappedIn(List.of("unshare", "--mount", "--uts", "--ipc", "--propagation", "unchanged",
                "--", "sh", "-c", CONTAINER, "container")).start();
    }

    private static int createAndStart(AgentProcess agent, String id) throws IOException {
        return agent.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\","
                + "\"limits\":{\"memoryMiB\":64,\"diskMiB\":64},\"start\":true}").get("initPid").asInt();
    }

    /** The loop device nodes in the agent's /dev, seen through its root. */
    private static List<String> loopNodes(AgentProcess agent) throws IOException {
        try (Stream<Path> dev = Files.list(Path.of("/proc/" + agent.pid() + "/root/dev"))) {
            return dev.map(p -> "/dev/" + p.getFileName()).filter(n -> n.matches("/dev/loop[0-9]+")).sorted().toList();
        }
    }

    /** The loop device the server's disk is mounted from, as the host's mount table (shared with the agent's) says. */
    private static String diskDevice(Path state, String id) throws IOException {
        String mountPoint = " " + state.resolve("servers/" + id + "/disk") + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(mountPoint))
                .map(l -> l.split(" - ")[1].split(" ")[1]).findFirst()
                .orElseThrow(() -> new AssertionError("the disk of " + id + " is not mounted on the host"));
    }

    /** How many loop devices the server's disk image is attached to. */
    private static long attachments(Path state, String id) {
        return Command.run("losetup", "--associated", state.resolve("servers/" + id + "/disk.img").toString())
                .lines().filter(l -> !l.isBlank()).count();
    }
}
