package io.corral.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.sys.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The host's side of the servers' networks: a bridge per network (crb-NAME, made when missing, with
 * the gateways' addresses and forwarding on), the agent's nftables rules (see {@link Ruleset}) and a
 * veth pair per running server, its host end on the bridge and its other end eth0 in the server's
 * network namespace. Everything runs the host's own ip, nft, tc and conntrack: a start without a
 * bandwidth limit runs three of them (the bridge's addresses and the veth's host end as one ip batch,
 * the server's end as another, the rules as one nft transaction); bandwidth is one tc batch (see {@link Shaper}). The server's end
 * is configured from the host side: the agent enters only the network namespace (nsenter --net),
 * never the server's mounts, so no program or file of the server's is used.
 */
public final class HostNetwork {
    private static final Logger LOG = Logger.getLogger(HostNetwork.class.getName());
    private static final Duration CARRIER_WAIT = Duration.ofSeconds(2);
    private static final long ETHERNET_HEADER = 14;
    /**
     * nft reads the host's tables, chains, sets and objects into a cache before each change, into a
     * 132 KiB buffer per netlink dump (one at least per table on the host): above glibc's threshold, so
     * an mmap and a munmap each, which took half of nft's time on the benchmark's virtualised host
     * (bench/RESULTS.md). A higher threshold serves them from the heap.
     */
    private static final Map<String, String> NFT_ENVIRONMENT = Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=1048576");
    private final String instance;
    /**
     * Held for each change of the rules, with the networks read under it: a change writes the base chains
     * for the networks it read, so one that read them before another server's spec was saved, and applied
     * after that server's own change, would drop that server's network from the rules keeping servers away
     * from the host and from other tenants.
     */
    private final Object rules = new Object();

    /** instance: the agent's name on this host (corral, or corral-HASH for another state directory). */
    public HostNetwork(String instance) {
        this.instance = instance;
    }

    public Port port(String id) {
        return Port.of(instance, id);
    }

    /**
     * Puts the server on its network while corral-enter waits, before anything of the server's runs:
     * the bridge, the rules, then the veth with its server end moved into the network namespace of
     * helperPid and configured there, its bandwidth held from the start. all: the networks of every
     * server of the agent. The port's firewall and the server's forwards are in place before its veth
     * exists. Nothing is left of the veth if a step fails.
     */
    public void attach(String id, NetworkSpec network, Firewall firewall, List<Forward> forwards, Bandwidth bandwidth, int helperPid,
                       Supplier<? extends Collection<NetworkSpec>> all) {
        Port port = port(id);
        String bridgeUp = HostLinks.bridge(network);
        applyRulesAndUplink(id, network, firewall, forwards, all);
        removeVeth(port);
        try {
            ip(bridgeUp + "link add " + port.hostInterface() + " type veth peer name eth0 address " + port.mac() + " netns " + helperPid + "\n"
                    + "link set " + port.hostInterface() + " addrgenmode none\n"
                    + "link set " + port.hostInterface() + " master " + network.bridge() + " up\n");
            Command.runWithInput(serverSide(port, network), "nsenter", "--net=/proc/" + helperPid + "/ns/net", "--", "ip", "-batch", "-");
            if (!bandwidth.equals(Bandwidth.NONE)) { // a new veth has no qdisc to remove, and removeVeth took any IFB: no tc to run
                Shaper.apply(port, bandwidth);
            }
            awaitCarrier(port);
        } catch (RuntimeException e) {
            removeVeth(port);
            throw AgentException.failed("server " + id + " could not be put on network " + network.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's rules and forwards (and the networks' rules of all), as one transaction; applying them
     * again changes nothing. A firewall change needs no more than this.
     */
    public void applyRules(String id, NetworkSpec network, Firewall firewall, List<Forward> forwards, Supplier<? extends Collection<NetworkSpec>> all) {
        nft(all, networks -> new Ruleset(instance).base(networks).port(port(id), network, firewall).forwards(network, forwards, forwards));
    }

    /** The same, then the server's addresses answered on the network's uplink, if it has one: at boot and at adoption. */
    public void applyRulesAndUplink(String id, NetworkSpec network, Firewall firewall, List<Forward> forwards,
                                    Supplier<? extends Collection<NetworkSpec>> all) {
        applyRules(id, network, firewall, forwards, all);
        if (network.uplink() != null) {
            Uplink.answer(network);
        }
    }

    /**
     * Replaces the server's forwards (before: those it had) as one transaction, touching no other server's,
     * then ends what the ones it no longer has carried.
     */
    public void forward(NetworkSpec network, List<Forward> before, List<Forward> after, Supplier<? extends Collection<NetworkSpec>> all) {
        nft(all, networks -> new Ruleset(instance).base(networks).forwards(network, before, after));
        forget(network, before.stream().filter(forward -> !after.contains(forward)).toList());
    }

    /** Empties the host's forwards of every server (all: every network of the agent's servers). */
    public void clearForwards(Supplier<? extends Collection<NetworkSpec>> all) {
        nft(all, networks -> new Ruleset(instance).base(networks).clearForwards());
    }

    /**
     * Holds the running server's traffic to the bandwidth (see {@link Shaper}); the same again changes nothing. A server
     * whose veth is gone (root inside may delete its end, which takes the host's) has no traffic to hold until its next
     * boot makes one: nothing is done, so that its other limits can still be changed.
     */
    public void limit(String id, Bandwidth bandwidth) {
        Port port = port(id);
        if (HostLinks.exists(port.hostInterface())) {
            Shaper.apply(port, bandwidth);
        }
    }

    /** The uplink no longer answers for the server's addresses: it has gone to another host, which does now. */
    public void stopAnswering(NetworkSpec network) {
        if (network.uplink() != null) {
            Uplink.forget(network);
        }
    }

    /** Removes the server's veth (a stopped server's end went with its network namespace). */
    public void detach(String id) {
        removeVeth(port(id));
    }

    /**
     * Removes everything of the server's: its veth, the uplink's answers for its addresses, its rules and
     * its forwards. remaining: the networks of the other servers of the agent. Its bridge stays, for the
     * network's other servers or the next one; the agent's tables go with the last server on a network.
     */
    public void remove(String id, NetworkSpec network, List<Forward> forwards, Supplier<? extends Collection<NetworkSpec>> remaining) {
        Port port = port(id);
        removeVeth(port);
        stopAnswering(network);
        nft(remaining, others -> {
            if (others.isEmpty()) {
                return new Ruleset(instance).drop();
            }
            boolean lastOfTenant = others.stream().noneMatch(other -> other.isPrivate() && other.tenant().equals(network.tenant()));
            return new Ruleset(instance).base(others).removePort(port, network, lastOfTenant).forwards(network, forwards, List.of());
        });
        forget(network, forwards);
    }

    /**
     * Deletes the connection tracking entries of what the forwards carried: the address translation is
     * kept with the connection, so a connection (or a UDP flow, as long as it keeps sending) would go on
     * reaching the server through a forward already removed.
     */
    private static void forget(NetworkSpec network, List<Forward> forwards) {
        for (Forward forward : forwards) {
            try {
                Command.run("conntrack", "-D", "-p", forward.protocol(), "--orig-port-dst", forward.hostPort().toString(),
                        "--reply-src", NetworkSpec.host(network.ipv4()), "--reply-port-src", forward.serverPort().toString());
            } catch (IllegalStateException e) {
                // conntrack's exit when there were none; otherwise the forward is gone from the rules all the
                // same, and a flow left over ends at its conntrack timeout
                if (!e.getMessage().contains(" 0 flow entries have been deleted")) {
                    LOG.warning("ending the flows of a removed forward " + forward.key() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Bytes through each server's port since its rules were made, by host interface; empty before any. */
    public Map<String, Traffic> traffic() {
        Map<String, Traffic> traffic = new HashMap<>();
        String json;
        try {
            json = Command.run(NFT_ENVIRONMENT, "nft", "-j", "list", "counters", "table", "bridge", instance);
        } catch (IllegalStateException e) {
            return traffic; // no table yet: no server has had a network
        }
        Map<String, Long> bytes = new HashMap<>();
        try {
            for (JsonNode item : Json.MAPPER.readTree(json).path("nftables")) {
                JsonNode counter = item.path("counter");
                if (counter.isObject()) {
                    // the bridge's hooks see frames without their Ethernet header, which the veth's own statistics count
                    bytes.put(counter.path("name").asText(), counter.path("bytes").asLong() + ETHERNET_HEADER * counter.path("packets").asLong());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("nft's counters: " + e.getMessage(), e);
        }
        bytes.forEach((name, count) -> {
            if (name.startsWith("in-")) {
                String port = name.substring(3);
                traffic.put(port, new Traffic(count, bytes.getOrDefault("out-" + port, 0L)));
            }
        });
        return traffic;
    }

    /** The server's bytes in traffic(), which reads every port's at once. */
    public Traffic trafficOf(Map<String, Traffic> traffic, String id) {
        return traffic.getOrDefault(port(id).hostInterface(), Traffic.NONE);
    }

    /** Bytes the server received (the host end's transmitted) and sent. */
    public record Traffic(long inBytes, long outBytes) {
        public static final Traffic NONE = new Traffic(0, 0);
    }

    /** eth0 with the derived MAC's link-local address and the server's addresses (no duplicate detection: they are the panel's to give), and the default routes. */
    private static String serverSide(Port port, NetworkSpec network) {
        StringBuilder batch = new StringBuilder("link set lo up\nlink set eth0 addrgenmode none\n");
        if (network.ipv6() != null) {
            batch.append("address add ").append(port.linkLocal()).append("/64 dev eth0 nodad\n");
            batch.append("address add ").append(network.ipv6()).append(" dev eth0 nodad\n");
        }
        if (network.ipv4() != null) {
            batch.append("address add ").append(network.ipv4()).append(" broadcast + dev eth0\n");
        }
        batch.append("link set eth0 up\n");
        if (network.ipv4() != null) {
            batch.append("route add default via ").append(network.gateway4()).append(" dev eth0\n");
        }
        if (network.ipv6() != null) {
            batch.append("route add default via ").append(network.gateway6()).append(" dev eth0\n");
        }
        return batch.toString();
    }

    /**
     * The kernel turns a veth's carrier on, and with it the queues that send, a moment after both ends
     * are up (its link watch): a service that init starts at once must not find eth0 dropping what it sends.
     */
    private static void awaitCarrier(Port port) {
        Path operstate = Path.of("/sys/class/net", port.hostInterface(), "operstate");
        long deadline = System.nanoTime() + CARRIER_WAIT.toNanos();
        try {
            while (!Files.readString(operstate).trim().equals("up")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(port.hostInterface() + " is not up after " + CARRIER_WAIT.toMillis() + " ms");
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read " + operstate + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + port.hostInterface(), e);
        }
    }

    private static void removeVeth(Port port) {
        Shaper.remove(port);
        if (HostLinks.exists(port.hostInterface())) {
            try {
                Command.run("ip", "link", "delete", port.hostInterface());
            } catch (IllegalStateException e) {
                if (HostLinks.exists(port.hostInterface())) { // else gone meanwhile with the server's network namespace
                    throw e;
                }
            }
        }
    }

    private static void ip(String batch) {
        Command.runWithInput(batch, "ip", "-batch", "-");
    }

    /** One transaction, made from the networks of all the agent's servers as they are when it runs. */
    private void nft(Supplier<? extends Collection<NetworkSpec>> networks, Function<Collection<NetworkSpec>, Ruleset> change) {
        synchronized (rules) {
            Command.runWithInput(NFT_ENVIRONMENT, change.apply(networks.get()).toString(), "nft", "-f", "-");
        }
    }
}
