package io.corral.agent.network;

import io.corral.agent.AgentException;
import io.corral.agent.sys.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.logging.Logger;

/**
 * The host's own links as the servers' networks need them: a bridge per network, checked not to take over a
 * network of the host's own interfaces, with the kernel's forwarding and bridge netfilter on.
 */
public final class HostLinks {
    private static final Logger LOG = Logger.getLogger(HostLinks.class.getName());
    private static volatile boolean bridgeNetfilterMissingLogged;

    private HostLinks() {
    }

    /**
     * Refuses a network whose addresses lie in a network another interface of the host is on (its
     * uplink, say): the bridge would take over part of the host's own routes; and an uplink that is not
     * an interface of the host's own (see {@link Uplink#checkHost}).
     */
    public static void checkHost(NetworkSpec network) {
        if (network.uplink() != null) {
            Uplink.checkHost(network.uplink());
        }
        if (network.ipv4() != null) {
            checkHost("network.ipv4", network, network.ipv4());
        }
        if (network.ipv6() != null) {
            checkHost("network.ipv6", network, network.ipv6());
        }
    }

    /** Read in the agent's process (ioctl and /proc, as the JDK does), not by a program started for each boot. */
    private static void checkHost(String field, NetworkSpec network, String cidr) {
        Cidr range = Cidr.of(cidr);
        try {
            for (NetworkInterface link : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress address : link.getInterfaceAddresses()) {
                    if (!link.getName().equals(network.bridge()) && range.contains(address.getAddress())) {
                        throw AgentException.invalid(field, cidr + " lies in a network of the host's own interface " + link.getName()
                                + " (" + address.getAddress().getHostAddress() + "/" + address.getNetworkPrefixLength()
                                + "); a bridge for it would take over the host's routes");
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("the host's interfaces: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the network's bridge if missing, with forwarding on, and returns the ip batch lines that
     * bring it up with the gateways' addresses: the start runs them with the veth's, in one ip.
     */
    static String bridge(NetworkSpec network) {
        String bridge = network.bridge();
        checkHost(network);
        if (!exists(bridge)) {
            try {
                Command.run("ip", "link", "add", bridge, "address", Port.bridgeMac(bridge), "type", "bridge");
            } catch (IllegalStateException e) {
                if (!exists(bridge)) { // else made meanwhile, for another server of the network
                    throw e;
                }
            }
        }
        sysctl("net/ipv4/conf/" + bridge + "/forwarding", "1");
        sysctl("net/ipv6/conf/" + bridge + "/forwarding", "1");
        sysctl("net/ipv6/conf/" + bridge + "/force_forwarding", "1"); // Linux 6.17 on: forwards IPv6 from this bridge alone
        loadBridgeNetfilter();
        // bridged IP traffic through the inet hooks (br_netfilter), where conntrack tells the firewalls replies
        StringBuilder batch = new StringBuilder("link set " + bridge + " up type bridge nf_call_iptables 1 nf_call_ip6tables 1\n");
        if (network.ipv4() != null) {
            batch.append("address replace ").append(network.gateway4()).append('/').append(NetworkSpec.prefix(network.ipv4()))
                    .append(" dev ").append(bridge).append('\n');
        }
        if (network.ipv6() != null) {
            batch.append("address replace ").append(network.gateway6()).append('/').append(NetworkSpec.prefix(network.ipv6()))
                    .append(" dev ").append(bridge).append(" nodad\n");
        }
        return batch.toString();
    }

    /** Whether the host has a link of that name. */
    static boolean exists(String link) {
        return Files.exists(Path.of("/sys/class/net", link));
    }

    /**
     * br_netfilter shows bridged IP traffic to the inet hooks, where conntrack tells the servers' firewalls the
     * replies a server gets from its neighbours on a bridge; a kernel that has it as a module gets it loaded, as
     * Docker does. Where it cannot be (no modules inside a container), those replies under a default deny are
     * dropped, nothing let in: said once in the log, and the bridge is made all the same.
     */
    private static void loadBridgeNetfilter() {
        if (Files.exists(Path.of("/proc/sys/net/bridge"))) { // loaded, or built into the kernel
            return;
        }
        try {
            Command.run("modprobe", "br_netfilter");
        } catch (RuntimeException e) {
            if (!bridgeNetfilterMissingLogged) {
                bridgeNetfilterMissingLogged = true;
                LOG.warning("br_netfilter could not be loaded (" + e.getMessage() + "): under a firewall's default deny, replies "
                        + "from a server's neighbours on its bridge are dropped; load it on the host (modprobe br_netfilter)");
            }
        }
    }

    /** Sets a kernel setting the host has (a newer kernel's, force_forwarding, may be missing). */
    static void sysctl(String key, String value) {
        Path file = Path.of("/proc/sys", key);
        if (Files.exists(file)) {
            try {
                Files.writeString(file, value);
            } catch (IOException e) {
                throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
