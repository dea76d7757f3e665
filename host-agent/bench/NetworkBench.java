import io.corral.agent.Agent;
import io.corral.agent.Json;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.spec.LimitsChange;
import io.corral.agent.sys.Command;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Corral's start of a busybox server on a network against one without (both with a user namespace of
 * their own), timed in the agent's process from the call until init has exec'd, rounds alternating.
 * Then traffic between two servers on one bridge against two plain network namespaces (PLAIN_SERVER_NS,
 * PLAIN_CLIENT_NS, made by network.sh: veths to a bridge, no rules), in interleaved rounds so both meet
 * the same machine: one TCP stream (Gbit/s received) and 64-byte UDP datagrams sent as fast as iperf3
 * can (datagrams per second received). The host's iperf3 enters each namespace's network only (nsenter --net).
 * Then the rules of 498 more servers, made by the agent's own code (HostNetwork.applyRules, as a start
 * makes them, one nft transaction each; no veths: no packet of theirs would change what is measured),
 * and the starts and the rounds again: the cost of a server's packets and of its start with 500
 * servers' rules on the host. Prints JSON.
 *
 * Run: java -cp ../target/corral-agent.jar NetworkBench.java STATE_DIR RUNS PLAIN_SERVER_NS PLAIN_CLIENT_NS PLAIN_ADDRESS
 */
public class NetworkBench {
    private static final int WARMUP = 30;
    private static final int ROUNDS = 5;
    private static final int SECONDS = 5;
    private static final int SERVERS = 500;
    private static final LimitsChange SMALL = new LimitsChange(null, null, null, null, null, 64L);

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Pair plain = new Pair("--net=" + args[2], "--net=" + args[3], args[4]);
        Agent agent = Agent.open(state, Duration.ZERO, true);
        agent.templates().build("busybox");
        List<Process> iperfServers = new ArrayList<>();
        try {
            agent.servers().create(new CreateRequest("bench-plain", "bench", "busybox", SMALL, false, null));
            agent.servers().create(new CreateRequest("bench-net", "bench", "busybox", SMALL, false, network(10)));
            List<Double> plainStarts = new ArrayList<>(), networkStarts = new ArrayList<>();
            for (int i = 0; i < runs + WARMUP; i++) {
                startAndStop(agent, "bench-plain", i >= WARMUP ? plainStarts : null);
                startAndStop(agent, "bench-net", i >= WARMUP ? networkStarts : null);
            }
            agent.servers().create(new CreateRequest("bench-a", "a", "busybox", SMALL, true, network(11)));
            agent.servers().create(new CreateRequest("bench-b", "b", "busybox", SMALL, true, network(12)));
            Pair corral = new Pair(netns(agent, "bench-a"), netns(agent, "bench-b"), "198.51.100.11");
            iperfServers.add(corral.listen());
            iperfServers.add(plain.listen());
            String few = rounds(corral, plain);

            HostNetwork host = new HostNetwork(agent.state().instance());
            List<NetworkSpec> all = new ArrayList<>(List.of(network(10), network(11), network(12)));
            long t0 = System.nanoTime();
            for (int i = 0; i < SERVERS - 2; i++) {
                NetworkSpec network = network(20 + i % 40); // rules only: the addresses of ports that never exist may repeat
                all.add(network);
                host.applyRules("bench-rules-" + i, network, Firewall.OPEN, List.of(), () -> all);
            }
            double rulesMs = (System.nanoTime() - t0) / 1e6;
            List<Double> manyStarts = new ArrayList<>();
            for (int i = 0; i < runs / 2 + 5; i++) {
                startAndStop(agent, "bench-net", i >= 5 ? manyStarts : null);
            }
            String many = rounds(corral, plain);
            System.out.printf(Locale.ROOT, "{\"plain\": %s, \"network\": %s, \"network_%d\": %s, \"rules_%d_ms\": %.0f, \"servers_2\": %s, \"servers_%d\": %s}%n",
                    json(plainStarts), json(networkStarts), SERVERS, json(manyStarts), SERVERS, rulesMs, few, SERVERS, many);
        } finally {
            iperfServers.forEach(Process::destroy);
            for (String id : List.of("bench-plain", "bench-net", "bench-a", "bench-b")) {
                try {
                    agent.servers().destroy(id);
                } catch (RuntimeException ignored) {
                    // not made
                }
            }
            for (String[] command : List.of(new String[] {"ip", "link", "delete", "crb-bench"},
                    new String[] {"nft", "delete", "table", "bridge", agent.state().instance()},
                    new String[] {"nft", "delete", "table", "inet", agent.state().instance()})) {
                try {
                    Command.run(command);
                } catch (IllegalStateException ignored) {
                    // never made: the bench failed before, and says why
                }
            }
        }
    }

    static NetworkSpec network(int host) {
        return new NetworkSpec("bench", "public", "bench", "198.51.100." + host + "/26", "198.51.100.1", null, null, null);
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

    /** ROUNDS rounds, each measuring both pairs (which one first alternates), TCP then UDP. */
    static String rounds(Pair corral, Pair plain) throws Exception {
        List<Double> corralTcp = new ArrayList<>(), plainTcp = new ArrayList<>(), corralUdp = new ArrayList<>(), plainUdp = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Pair pair : round % 2 == 0 ? List.of(corral, plain) : List.of(plain, corral)) {
                JsonNode tcp = pair.send("-t", Integer.toString(SECONDS));
                (pair == corral ? corralTcp : plainTcp).add(tcp.path("sum_received").path("bits_per_second").asDouble() / 1e9);
                JsonNode udp = pair.send("-t", Integer.toString(SECONDS), "-u", "-b", "0", "-l", "64").path("sum");
                double received = udp.path("packets").asDouble() - udp.path("lost_packets").asDouble();
                (pair == corral ? corralUdp : plainUdp).add(received / udp.path("seconds").asDouble());
            }
        }
        return String.format(Locale.ROOT, "{\"corral_tcp_gbits\": %s, \"plain_tcp_gbits\": %s, \"corral_udp_pps\": %s, \"plain_udp_pps\": %s}",
                spread(corralTcp), spread(plainTcp), spread(corralUdp), spread(plainUdp));
    }

    /** Two network namespaces: iperf3's server listens in the first, at address, its client runs in the second. */
    record Pair(String serverNs, String clientNs, String address) {
        Process listen() throws Exception {
            return new ProcessBuilder("nsenter", serverNs, "iperf3", "-s").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        /** iperf3's "end" figures; tried again until the server listens. */
        JsonNode send(String... options) throws Exception {
            List<String> command = new ArrayList<>(List.of("nsenter", clientNs, "iperf3", "-c", address, "-J"));
            command.addAll(List.of(options));
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    JsonNode end = Json.MAPPER.readTree(Command.run(command.toArray(String[]::new))).path("end");
                    if (!end.isMissingNode()) {
                        return end;
                    }
                } catch (IllegalStateException e) {
                    // the server is not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("iperf3 measured nothing in 50 attempts: " + command);
        }
    }

    static String json(List<Double> times) {
        Collections.sort(times);
        return String.format(Locale.ROOT, "{\"runs\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"min_ms\": %.2f}", times.size(),
                times.get(times.size() / 2), times.get((int) Math.ceil(0.95 * times.size()) - 1), times.get(0));
    }

    /** Median, lowest and highest of a few rounds, and each round's figure in order. */
    static String spread(List<Double> figures) {
        List<Double> sorted = new ArrayList<>(figures);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "{\"median\": %.2f, \"min\": %.2f, \"max\": %.2f, \"rounds\": %s}",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                figures.stream().map(f -> String.format(Locale.ROOT, "%.2f", f)).toList());
    }
}
