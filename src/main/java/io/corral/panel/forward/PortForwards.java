package io.corral.panel.forward;

import io.corral.panel.common.DomainException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A server's port forwards whole, as the API reads and writes them. */
@Schema(description = "A server's port forwards: its host's ports sent on to ports of the server, for a server on a private network")
public record PortForwards(
        @Schema(description = "Read only: where customers reach the server's host, and so its forwards: the host's public address "
                + "(an IPv4 address or a DNS name) where an admin gave one, else the host of its agent's URL",
                readOnly = true, examples = "198.51.100.2") String hostAddress,
        @Schema(description = "At most as many as the tenant's plan allows each server (serverPortForwards)") List<PortForward> forwards) {
    public PortForwards {
        forwards = forwards == null ? List.of() : forwards;
    }

    /**
     * Every forward checked as the agent checks it, host ports within the panel's range and at most
     * allowed of them; a refusal names the field (forwards[2].hostPort) and the rule.
     */
    static List<PortForward> validated(List<PortForward> forwards, int allowed, ForwardConfig range) {
        if (forwards.size() > allowed) {
            throw new DomainException(DomainException.Kind.QUOTA, "forwards", allowed == 0 ? r -> r.forward_none_allowed(forwards.size())
                    : r -> r.forward_too_many(allowed, forwards.size()));
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < forwards.size(); i++) {
            String field = "forwards[" + i + "]";
            PortForward forward = forwards.get(i);
            if (forward == null) {
                throw DomainException.invalid(field, r -> r.forward_missing(field));
            }
            if (!"tcp".equals(forward.protocol()) && !"udp".equals(forward.protocol())) {
                throw DomainException.invalid(field + ".protocol", r -> r.forward_protocol(field + ".protocol",
                        forward.protocol() == null ? r.value_nothing() : "'" + forward.protocol() + "'"));
            }
            Integer host = forward.hostPort();
            if (host != null && (host < range.firstHostPort() || host > range.lastHostPort())) {
                throw DomainException.invalid(field + ".hostPort", r -> r.forward_host_port_range(field + ".hostPort", range.firstHostPort(),
                        range.lastHostPort(), host));
            }
            if (forward.serverPort() == null || forward.serverPort() < 1 || forward.serverPort() > 65535) {
                throw DomainException.invalid(field + ".serverPort", r -> r.forward_server_port(field + ".serverPort",
                        String.valueOf(forward.serverPort())));
            }
            if (host != null && !keys.add(forward.key())) {
                throw DomainException.invalid(field + ".hostPort", r -> r.forward_twice(field + ".hostPort", forward.key()));
            }
        }
        return forwards;
    }
}
