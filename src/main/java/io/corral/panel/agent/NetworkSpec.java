package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A server's network as its agent is told it with the create call (net-contract.md): the network's name
 * (the agent's bridge is crb-name), public or private, the server's tenant (servers of different tenants
 * on a private network cannot reach each other), its addresses with the network's prefix length, the
 * gateways and the resolvers. ipv6 and gateway6 are left out on a network without IPv6. uplink: a public network's
 * interface on the server's host where the host answers ARP and neighbour discovery for the server's addresses,
 * left out where the network is routed to the host.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSpec(String name, String kind, String tenant, String ipv4, String gateway4, String ipv6, String gateway6,
                          List<String> resolvers, String uplink) {
}
