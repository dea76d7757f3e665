package io.corral.agent.network;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files the agent writes into a server's root at every boot (corral-enter writes them beneath the
 * root, as the server's root, only over the customer's ordinary files): /etc/hostname, and for a
 * server on a network /etc/hosts with its names on its addresses and /etc/resolv.conf with the
 * network's resolvers (left as it is when the network names none).
 */
public final class ServerFiles {
    private ServerFiles() {
    }

    /** Paths beneath the root, and their content. network: null for a server without one. */
    public static Map<String, String> of(String hostname, NetworkSpec network) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("etc/hostname", hostname + "\n");
        if (network == null) {
            return files;
        }
        String names = hostname.contains(".") ? hostname + " " + hostname.substring(0, hostname.indexOf('.')) : hostname;
        StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (network.ipv4() != null) {
            hosts.append(NetworkSpec.host(network.ipv4())).append('\t').append(names).append('\n');
        }
        if (network.ipv6() != null) {
            hosts.append(NetworkSpec.host(network.ipv6())).append('\t').append(names).append('\n');
        }
        files.put("etc/hosts", hosts.toString());
        if (!network.resolvers().isEmpty()) {
            StringBuilder resolv = new StringBuilder();
            network.resolvers().forEach(r -> resolv.append("nameserver ").append(r).append('\n'));
            files.put("etc/resolv.conf", resolv.toString());
        }
        return files;
    }
}
