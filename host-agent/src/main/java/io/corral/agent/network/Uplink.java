package io.corral.agent.network;

import io.corral.agent.AgentException;
import io.corral.agent.sys.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A public network's uplink: the host's interface on a segment where the provider expects the servers'
 * addresses on the link rather than routed to the host. The host answers ARP and neighbour solicitations
 * there for exactly its servers' addresses, each a neighbour proxy entry (ip neigh ... proxy ADDR dev
 * UPLINK), and routes what comes for them to the bridge, whose connected route already covers them. Not
 * proxy_arp: that answers for every address the host routes through another interface (the whole
 * prefix, and whatever its default route reaches). The kernel answers a proxy entry only on an
 * interface that forwards (IPv4: the ARP code's check; IPv6: proxy_ndp and the interface's forwarding),
 * so the uplink gets forwarding on for the network's families, and proxy_ndp; an uplink taking router
 * advertisements (accept_ra 1) keeps taking them (2: also while forwarding). They stay when the last
 * server goes, as the bridge does.
 */
final class Uplink {
    /** The kernel's rule (dev_valid_name: under 16 bytes, not . or .., no '/', ':' or space), in printable ASCII without what ip -batch reads as quoting or a comment. */
    private static final Pattern NAME = Pattern.compile("(?!\\.{1,2}$)[!$-.0-9;-~&&[^'\\\\]]{1,15}");
    private static final Pattern SERVER_LINK = Pattern.compile("c[vb][0-9a-f]{12}");
    private static final String LOOPBACK_TYPE = "772";

    private Uplink() {
    }

    static void validateName(String uplink) {
        if (!NAME.matcher(uplink).matches()) {
            throw AgentException.invalid("network.uplink", "must be an interface name: 1 to 15 printable ASCII characters,"
                    + " not '.' or '..', without '/', ':', spaces, quotes, '\\' or '#', got '" + uplink + "'");
        }
    }

    /** An existing interface of the host, neither loopback nor one of the agent's bridges, veths or their ports. */
    static void checkHost(String uplink) {
        Path link = Path.of("/sys/class/net", uplink);
        if (!Files.exists(link)) {
            throw AgentException.invalid("network.uplink", "no interface " + uplink + " on this host");
        }
        if (uplink.startsWith("crb-") || SERVER_LINK.matcher(uplink).matches()) {
            throw AgentException.invalid("network.uplink", uplink + " is one of the agent's bridges or servers' interfaces, not an uplink");
        }
        if (read(link.resolve("type")).equals(LOOPBACK_TYPE)) {
            throw AgentException.invalid("network.uplink", uplink + " is a loopback interface, not an uplink");
        }
        Path master = link.resolve("master");
        if (Files.exists(master)) {
            String bridge = link(master);
            if (bridge.startsWith("crb-")) {
                throw AgentException.invalid("network.uplink", uplink + " is a port of the agent's bridge " + bridge + ", not an uplink");
            }
        }
    }

    /** The uplink answers for the server's addresses, and forwards; the same again changes nothing. */
    static void answer(NetworkSpec network) {
        String uplink = network.uplink();
        if (network.ipv4() != null) {
            HostLinks.sysctl("net/ipv4/conf/" + uplink + "/forwarding", "1");
        }
        if (network.ipv6() != null) {
            Path acceptRa = Path.of("/proc/sys/net/ipv6/conf", uplink, "accept_ra");
            if (Files.exists(acceptRa) && read(acceptRa).equals("1")) {
                HostLinks.sysctl("net/ipv6/conf/" + uplink + "/accept_ra", "2");
            }
            HostLinks.sysctl("net/ipv6/conf/" + uplink + "/forwarding", "1");
            HostLinks.sysctl("net/ipv6/conf/" + uplink + "/force_forwarding", "1"); // Linux 6.17 on: forwards in from it without all.forwarding
            HostLinks.sysctl("net/ipv6/conf/" + uplink + "/proxy_ndp", "1");
        }
        ip(entries(network, "neigh replace proxy %s dev %s\n"));
    }

    /** The uplink no longer answers for the server's addresses (an entry missing is no error); nothing if the uplink is gone, with its entries. */
    static void forget(NetworkSpec network) {
        if (Files.exists(Path.of("/sys/class/net", network.uplink()))) {
            ip(entries(network, "neigh replace proxy %1$s dev %2$s\nneigh del proxy %1$s dev %2$s\n"));
        }
    }

    private static String entries(NetworkSpec network, String format) {
        List<String> addresses = new ArrayList<>();
        if (network.ipv4() != null) {
            addresses.add(NetworkSpec.host(network.ipv4()));
        }
        if (network.ipv6() != null) {
            addresses.add(NetworkSpec.host(network.ipv6()));
        }
        StringBuilder batch = new StringBuilder();
        addresses.forEach(address -> batch.append(String.format(format, address, network.uplink())));
        return batch.toString();
    }

    private static void ip(String batch) {
        Command.runWithInput(batch, "ip", "-batch", "-");
    }

    private static String link(Path file) {
        try {
            return Files.readSymbolicLink(file).getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }
}
