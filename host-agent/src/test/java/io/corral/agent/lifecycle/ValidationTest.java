package io.corral.agent.lifecycle;

import static io.corral.agent.TestHost.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.AgentException;
import io.corral.agent.AgentProcess;
import io.corral.agent.ToolFault;
import io.corral.agent.runtime.ServerState;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.sys.Command;
import java.nio.file.Path;
import io.corral.agent.TestHost;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is refused with the field and the rule, and leaves nothing behind. */
class ValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", ".hidden", "-x", "", "a b", "x.y"})
    void idsThatCouldEscapeTheStateDirectoryAreRefused(String id) {
        AgentException e = assertThrows(AgentException.class,
                () -> servers().create(new CreateRequest(id, "web", "busybox", null, false)));
        assertEquals("id", e.field());
        assertEquals(AgentException.Kind.INVALID, e.kind());
        assertFalse(Files.exists(TestHost.agent().state().servers().resolve("etc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-web", "web-", "we_b", "a..b", "", "toolonglabel-toolonglabel-toolonglabel-toolonglabel-toolonglabel0"})
    void hostnamesFollowRfc1123(String hostname) {
        AgentException e = assertThrows(AgentException.class,
                () -> servers().create(new CreateRequest("val-host", hostname, "busybox", null, false)));
        assertEquals("hostname", e.field());
        assertFalse(Files.exists(TestHost.agent().state().server("val-host")));
    }

    @ParameterizedTest
    @CsvSource({
            "limits.memoryMiB, 8, , , , ",
            "limits.memoryMiB, 99999999, , , , ",
            "limits.cpus, , 0, , , ",
            "limits.cpus, , 1000, , , ",
            "limits.pids, , , 2, , ",
            "limits.diskMiB, , , , 1, ",
            "limits.diskMiB, , , , 999999999999, ",
            "limits.cpuWeight, , , , , 0"})
    void limitsOutsideSaneRangesOrHostCapacityAreRefused(String field, Long memory, Double cpus, Integer pids, Long disk, Integer weight) {
        AgentException e = assertThrows(AgentException.class, () -> servers().create(
                new CreateRequest("val-limits", "web", "busybox", new LimitsChange(memory, null, cpus, weight, pids, disk), false)));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": must be between"), e.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server("val-limits")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuch", "../busybox"})
    void unknownTemplatesAreRefused(String template) {
        AgentException e = assertThrows(AgentException.class,
                () -> servers().create(new CreateRequest("val-tpl", "web", template, null, false)));
        assertEquals("template", e.field());
        assertTrue(e.getMessage().contains("installed: busybox"), e.getMessage());
        assertFalse(Files.exists(TestHost.agent().state().server("val-tpl")));
    }

    @org.junit.jupiter.api.Test
    void aBootThatFailsLeavesTheServerStoppedWithNothingRunning() throws Exception {
        String id = "val-noinit";
        var template = TestHost.agent().state().templates().resolve("broken");
        try {
            Files.createDirectories(template.resolve("rootfs"));
            Files.writeString(template.resolve("template.json"), "{\"init\":[\"/sbin/init\"],\"stopSignal\":15,\"builtFrom\":\"test\"}");
            // created and started in one call: the boot's error is the answer, and the server stays, stopped
            AgentException first = assertThrows(AgentException.class,
                    () -> servers().create(new CreateRequest(id, "web", "broken", TestHost.limits(null, null, null, 64L), true)));
            assertTrue(first.getMessage().contains("init /sbin/init cannot be run from the server's root filesystem: No such file"),
                    first.getMessage());
            assertEquals(ServerState.stopped, servers().get(id).state());
            assertEquals(ServerSpec.DesiredState.stopped, new SpecStore(TestHost.agent().state()).get(id).desired());
            AgentException e = assertThrows(AgentException.class, () -> servers().start(id));
            assertTrue(e.getMessage().contains("init /sbin/init cannot be run from the server's root filesystem: No such file"),
                    e.getMessage());
            assertEquals(ServerState.stopped, servers().get(id).state());
            assertTrue(servers().cgroups().pids("vs-" + id).isEmpty());
            assertFalse(Files.exists(servers().cgroups().file("pids", "vs-" + id, "")), "no cgroup left from the failed boot");
        } finally {
            TestHost.destroyQuietly(id);
            io.corral.agent.sys.FileTrees.delete(template);
        }
    }

    /**
     * mkfs.ext4 fails after the server's directory, its spec and its user range exist: the refusal says
     * why, and nothing of the server is left, checked before anything is cleaned up.
     */
    @org.junit.jupiter.api.Test
    void aCreateThatFailsMidwayLeavesNothing() throws Exception {
        Path state = Files.createTempDirectory("corral-midway-");
        try (AgentProcess agent = new AgentProcess(state).withToolsFirst(ToolFault.failing("mkfs.ext4", "mkfs.ext4: no room at the inn"))
                .start()) {
            agent.json("POST", "/v1/templates/busybox/build", null);
            var refused = agent.call("POST", "/v1/servers", "{\"id\":\"mid-1\",\"hostname\":\"web\",\"template\":\"busybox\"}");
            assertEquals(500, refused.statusCode());
            assertTrue(refused.body().contains("no room at the inn"), refused.body());
            assertFalse(Files.exists(state.resolve("servers/mid-1")), "no directory, spec or disk image left");
            assertFalse(Files.exists(state.resolve("locks/mid-1.lock")), "no lock file left");
            assertFalse(Command.run("losetup", "-a").contains(state.toString()), "no loop device left");
            assertEquals(0, agent.json("GET", "/v1/servers", null).size());
            assertEquals(0, agent.json("GET", "/v1/host", null).get("servers").asInt());
        } finally {
            AgentProcess.cleanUp(state);
        }
    }
}
