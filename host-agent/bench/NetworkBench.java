import io.corral.agent.Agent;
import io.corral.agent.Json;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Corral's start of a busybox server on a network against one without (both with a user namespace of
 * their own), timed in the agent's process from the call until init has exec'd, rounds alternating;
 * then iperf3 between two servers on one bridge, the host's iperf3 entering each server's network
 * namespace only (nsenter --net). Prints JSON.
 *
 * Run: java -cp ../target/corral-agent.jar NetworkBench.java STATE_DIR RUNS
 */
public class NetworkBench {
    private static final int WARMUP = 30;
    private static final LimitsChange SMALL = new LimitsChange(null, null, null, null, null, 64L);

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Agent agent = Agent.open(state, Duration.ZERO, true);
        agent.templates().build("busybox");
        List<Double> plain = new ArrayList<>(), networked = new ArrayList<>();
        try {
            agent.servers().create(new CreateRequest("bench-plain", "bench", "busybox", SMALL, false, null));
            agent.servers().create(new CreateRequest("bench-net", "bench", "busybox", SMALL, false, network(10)));
            for (int i = 0; i < runs + WARMUP; i++) {
                startAndStop(agent, "bench-plain", i >= WARMUP ? plain : null);
                startAndStop(agent, "bench-net", i >= WARMUP ? networked : null);
            }
            agent.servers().create(new CreateRequest("bench-a", "a", "busybox", SMALL, true, network(11)));
            agent.servers().create(new CreateRequest("bench-b", "b", "busybox", SMALL, true, network(12)));
            double gbits = iperf(netns(agent, "bench-a"), netns(agent, "bench-b"), "198.51.100.11");
            System.out.printf("{\"plain\": %s, \"network\": %s, \"iperf3_gbits\": %.2f}%n", json(plain), json(networked), gbits);
        } finally {
            for (String id : List.of("bench-plain", "bench-net", "bench-a", "bench-b")) {
                try {
                    agent.servers().destroy(id);
                } catch (RuntimeException ignored) {
                    // not made
                }
            }
            Command.run("ip", "link", "delete", "crb-bench");
            Command.run("nft", "delete", "table", "bridge", agent.state().instance());
            Command.run("nft", "delete", "table", "inet", agent.state().instance());
        }
    }

    static NetworkSpec network(int host) {
        return new NetworkSpec("bench", "public", "bench", "198.51.100." + host + "/24", "198.51.100.1", null, null, null);
    }

    static void startAndStop(Agent agent, String id, List<Double> into) {
        long t0 = System.nanoTime();
        agent.servers().start(id);
        double ms = (System.nanoTime() - t0) / 1e6;
        agent.servers().stop(id);
        if (into != null) {
            into.add(ms);
        }
    }

    static String netns(Agent agent, String id) {
        return "--net=/proc/" + agent.servers().get(id).initPid() + "/ns/net";
    }

    /** Gbit/s received by the server end, client in the other namespace, 10 s; tried again until the server listens. */
    static double iperf(String serverNs, String clientNs, String address) throws Exception {
        Process server = new ProcessBuilder("nsenter", serverNs, "iperf3", "-s").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    String out = Command.run("nsenter", clientNs, "iperf3", "-c", address, "-t", "10", "-J");
                    double bits = Json.MAPPER.readTree(out).path("end").path("sum_received").path("bits_per_second").asDouble();
                    if (bits > 0) {
                        return bits / 1e9;
                    }
                } catch (IllegalStateException e) {
                    // the server is not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("iperf3 measured nothing in 50 attempts");
        } finally {
            server.destroy();
        }
    }

    static String json(List<Double> times) {
        Collections.sort(times);
        return String.format("{\"runs\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"min_ms\": %.2f}", times.size(),
                times.get(times.size() / 2), times.get((int) Math.ceil(0.95 * times.size()) - 1), times.get(0));
    }
}
