package io.corral.panel.network;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A network as an admin writes it; addresses are checked by NetworkService, each refusal naming its field. */
public record NetworkRequest(
        @Schema(description = "1 to 8 lower-case letters and digits; the agents' bridge for it is crb-<name>")
        @NotNull @Pattern(regexp = "[a-z0-9]{1,8}", message = "{corral.network.name}") String name,
        @Schema(description = "public: addresses reached from outside; private: IPv4 masqueraded on the way out, tenants kept apart")
        @NotNull @Pattern(regexp = "public|private", message = "{corral.network.kind}") String kind,
        @Schema(description = "The network's IPv4 prefix, /8 to /30, e.g. 192.0.2.0/24") @NotNull @Size(max = 50) String ipv4Prefix,
        @Schema(description = "The IPv4 gateway: inside the prefix, neither its network nor its broadcast address") @NotNull @Size(max = 50) String gateway4,
        @Schema(description = "Optional: the network's IPv6 prefix, /16 to /126, e.g. 2001:db8:1::/64") @Size(max = 50) String ipv6Prefix,
        @Schema(description = "The IPv6 gateway, required with ipv6Prefix and inside it") @Size(max = 50) String gateway6,
        @Schema(description = "Up to three resolvers (IPv4 or IPv6) for the servers' /etc/resolv.conf")
        @Size(max = 3, message = "{corral.network.resolvers}") List<@NotNull @Size(max = 50) String> resolvers) {
}
