package io.corral.agent.network;

import io.corral.agent.AgentException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A port forward of a server on a private network: what reaches the host's own addresses on protocol
 * and hostPort from outside is sent to the server's IPv4 on serverPort (see {@link Ruleset#forwards}),
 * where the server's firewall judges it as any other traffic to serverPort.
 */
public record Forward(String protocol, Integer hostPort, Integer serverPort) {
    static final int MAX_FORWARDS = 32;
    private static final List<String> PROTOCOLS = List.of("tcp", "udp");

    /** The key nft's map holds the forward under, and the host port's name in messages: tcp 2201. */
    String key() {
        return protocol + " . " + hostPort;
    }

    /**
     * Every field within its rule, for a server on network (null: none); a refusal names the field
     * (forwards[2].hostPort, ...) and the rule. Only a private network's server has forwards: a public
     * one's addresses are its own, reached directly.
     */
    public static void validate(List<Forward> forwards, NetworkSpec network) {
        if (forwards.isEmpty()) {
            return;
        }
        if (network == null || !network.isPrivate() || network.ipv4() == null) {
            throw AgentException.invalid("forwards", "only a server on a private network with IPv4 has forwards; "
                    + (network == null ? "this one has no network" : "this one's addresses are its own, reached directly"));
        }
        if (forwards.size() > MAX_FORWARDS) {
            throw AgentException.invalid("forwards", "at most " + MAX_FORWARDS + " forwards, got " + forwards.size());
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < forwards.size(); i++) {
            String field = "forwards[" + i + "]";
            Forward forward = forwards.get(i);
            if (forward == null) {
                throw AgentException.invalid(field, "must be a forward, got nothing");
            }
            if (forward.protocol == null || !PROTOCOLS.contains(forward.protocol)) { // List.of's contains refuses null
                throw AgentException.invalid(field + ".protocol", "must be tcp or udp, got "
                        + (forward.protocol == null ? "nothing" : "'" + forward.protocol + "'"));
            }
            port(field + ".hostPort", forward.hostPort);
            port(field + ".serverPort", forward.serverPort);
            if (!keys.add(forward.key())) {
                throw AgentException.invalid(field + ".hostPort", forward.protocol + " " + forward.hostPort + " is forwarded twice");
            }
        }
    }

    /** Refuses a host port another server of this agent forwards (by id), naming the port: 409. */
    public static void checkFree(List<Forward> forwards, Map<String, List<Forward>> others) {
        for (int i = 0; i < forwards.size(); i++) {
            Forward forward = forwards.get(i);
            for (Map.Entry<String, List<Forward>> other : others.entrySet()) {
                if (other.getValue().stream().anyMatch(theirs -> theirs.key().equals(forward.key()))) {
                    throw new AgentException(AgentException.Kind.CONFLICT, "forwards[" + i + "].hostPort", "forwards[" + i
                            + "].hostPort: " + forward.protocol + " " + forward.hostPort + " is already forwarded to server "
                            + other.getKey() + " on this host");
                }
            }
        }
    }

    /** Refuses a TCP forward of the agent's own listening port, which would take the panel's way to the agent. */
    public static void checkNotAgentPort(List<Forward> forwards, int agentPort) {
        for (int i = 0; i < forwards.size(); i++) {
            Forward forward = forwards.get(i);
            if (forward != null && "tcp".equals(forward.protocol) && forward.hostPort != null && forward.hostPort == agentPort) {
                throw AgentException.invalid("forwards[" + i + "].hostPort", "tcp " + agentPort + " is the agent's own port");
            }
        }
    }

    private static void port(String field, Integer port) {
        if (port == null) {
            throw AgentException.invalid(field, "is required, a port between 1 and 65535");
        }
        if (port < 1 || port > 65535) {
            throw AgentException.invalid(field, "ports lie between 1 and 65535, got " + port);
        }
    }
}
