package io.corral.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentException;
import io.corral.agent.Await;
import io.corral.agent.Json;
import io.corral.agent.Measured;
import io.corral.agent.TestHost;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A server's bandwidth, measured with iperf3 between the server's network namespace (the host's iperf3,
 * entered with nsenter --net, nothing of the server's) and a neighbour namespace of the test's on the
 * same bridge: each direction holds its limit (at most 10% above it, see {@link Measured}) as TCP goodput (headers take about 5% of the
 * wire), a change while it runs takes effect, and 0 removes the limit. IPv6 only (2001:db8::/32), so the
 * test's bridge overlaps no other test's IPv4 network.
 */
class BandwidthTest {
    static final String ID = "bw-a";
    static final String SERVER = "2001:db8:b3d::10", NEIGHBOUR = "2001:db8:b3d::100";

    @Test
    void eachDirectionHoldsItsLimitWhichChangesWhileRunningAndZeroRemoves() throws Exception {
        String name = "tb" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        NetworkSpec network = new NetworkSpec(name, "public", "acme", null, null, SERVER + "/64", "2001:db8:b3d::1", null);
        Outside neighbour = null;
        Process iperf = null;
        try {
            ServerView server = TestHost.agent().servers().create(new CreateRequest(ID, "bw", "busybox",
                    limits(40L, 20L), true, network));
            Port port = Port.of(TestHost.agent().state().instance(), ID);
            neighbour = Outside.onBridge("crb-" + name, NEIGHBOUR + "/64");
            iperf = new ProcessBuilder("nsenter", "--net=/proc/" + server.initPid() + "/ns/net", "--",
                    "iperf3", "-s", "-B", SERVER).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Outside from = neighbour;
            Await.until(Duration.ofSeconds(10), "iperf3 answers in the server",
                    () -> from.succeeds("iperf3", "-c", SERVER, "-n", "1K"));

            Measured.held(40, mbit(neighbour, false), "Mbit/s", "into the server");
            Measured.held(20, mbit(neighbour, true), "Mbit/s", "out of the server");

            TestHost.agent().servers().limits().change(ID, limits(10L, 60L), null);
            Measured.held(10, mbit(neighbour, false), "Mbit/s", "into the server after the change");
            Measured.held(60, mbit(neighbour, true), "Mbit/s", "out of the server after the change");

            // adoption after an agent restart makes the same shaping again, without a second filter
            Command.run("tc", "qdisc", "del", "dev", port.hostInterface(), "root");
            TestHost.agent().servers().reconcile();
            TestHost.agent().servers().reconcile();
            assertTrue(Command.run("tc", "qdisc", "show", "dev", port.hostInterface()).contains("tbf"), "the bucket is back");
            assertEquals(1, Command.run("tc", "filter", "show", "dev", port.hostInterface(), "ingress").lines()
                    .filter(line -> line.contains("mirred")).count(), "one redirect to the IFB");
            Measured.held(10, mbit(neighbour, false), "Mbit/s", "into the server after adoption");

            TestHost.agent().servers().limits().change(ID, limits(0L, 0L), null);
            // twice the highest limit set: nothing left of one, whatever else the machine is doing
            double in = mbit(neighbour, false), out = mbit(neighbour, true);
            assertTrue(in > 120, "no limit into the server: " + in + " Mbit/s");
            assertTrue(out > 120, "no limit out of the server: " + out + " Mbit/s");
            assertFalse(Files.exists(Path.of("/sys/class/net", Shaper.ifb(port))), "no IFB without a limit out");
            assertFalse(Command.run("tc", "qdisc", "show", "dev", port.hostInterface()).contains("tbf"));

            TestHost.agent().servers().limits().change(ID, limits(0L, 30L), null);
            assertTrue(Files.exists(Path.of("/sys/class/net", Shaper.ifb(port))));
            TestHost.agent().servers().destroy(ID);
            assertFalse(Files.exists(Path.of("/sys/class/net", Shaper.ifb(port))), "destroy leaves no IFB");
        } finally {
            if (iperf != null) {
                iperf.destroy();
            }
            TestHost.destroyQuietly(ID);
            if (neighbour != null) {
                neighbour.close();
            }
            TestHost.deleteBridges(name);
        }
    }

    /**
     * A server whose veth is gone (root inside deleted its end, which takes the host's) still has its limits changed: its
     * bandwidth has no traffic to hold until its next boot, which holds it, and its other limits take effect and are kept.
     */
    @Test
    void aServerThatDeletedItsInterfaceStillHasItsLimitsChanged() throws Exception {
        String id = "bw-gone", name = "tb" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        NetworkSpec network = new NetworkSpec(name, "public", "acme", null, null, "2001:db8:b3e::10/64", "2001:db8:b3e::1", null);
        try {
            TestHost.agent().servers().create(new CreateRequest(id, "bw-gone", "busybox",
                    new LimitsChange(null, null, null, null, 200, 64L, 40L, 20L, null, null), true, network));
            Command.run("ip", "link", "del", Port.of(TestHost.agent().state().instance(), id).hostInterface());
            TestHost.agent().servers().limits().change(id, new LimitsChange(null, null, null, null, 16, null, 10L, null, null, null), null);
            assertEquals("16", Files.readString(TestHost.agent().servers().cgroups().file("pids", "vs-" + id, "pids.max")).trim());
            assertEquals(16, TestHost.agent().servers().get(id).limits().pids(), "kept");
            assertEquals(10, TestHost.agent().servers().get(id).limits().networkInMbit(), "kept for the next boot");
            TestHost.agent().servers().restart(id);
            String bucket = Command.run("tc", "qdisc", "show", "dev", Port.of(TestHost.agent().state().instance(), id).hostInterface());
            assertTrue(bucket.contains("tbf") && bucket.contains("10Mbit"), "held at the next boot: " + bucket);
        } finally {
            TestHost.destroyQuietly(id);
            TestHost.deleteBridges(name);
        }
    }

    @Test
    void limitsOutOfRangeAreRefusedNamingTheField() {
        for (LimitsChange bad : List.of(limits(-1L, null), limits(null, 100_001L))) {
            String field = bad.networkInMbit() != null ? "limits.networkInMbit" : "limits.networkOutMbit";
            AgentException e = assertThrows(AgentException.class,
                    () -> TestHost.agent().servers().create(new CreateRequest("bw-bad", "bw", "busybox", bad, false)));
            assertEquals(field, e.field());
            assertTrue(e.getMessage().contains("between 0 (no limit) and 100000"), e.getMessage());
        }
    }

    static LimitsChange limits(Long inMbit, Long outMbit) {
        return new LimitsChange(null, null, null, null, null, 64L, inMbit, outMbit, null, null);
    }

    /**
     * TCP goodput in megabits per second over 3 s, from the neighbour into the server or (reverse) out of it,
     * after a first second left out: TCP's slow start, which a loaded machine stretches, is not the limit's.
     */
    static double mbit(Outside neighbour, boolean outOfServer) throws Exception {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", SERVER, "-t", "3", "-O", "1", "-J"));
        if (outOfServer) {
            command.add("-R");
        }
        // the server inside runs one test at a time: one asked for while the last is still ending is refused as busy, and tried again
        JsonNode[] result = new JsonNode[1];
        Await.until(Duration.ofSeconds(20), "an iperf3 test that ran", () -> {
            try {
                result[0] = Json.MAPPER.readTree(neighbour.run(command.toArray(String[]::new)));
            } catch (IllegalStateException | java.io.IOException e) {
                result[0] = Json.MAPPER.createObjectNode().put("error", e.getMessage());
            }
            return !result[0].has("error");
        });
        JsonNode received = result[0].path("end").path("sum_received");
        assertTrue(received.has("bits_per_second"), "iperf3 measured nothing: " + result[0]);
        return received.path("bits_per_second").asDouble() / 1e6;
    }

}
