package io.corral.panel.network;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A network's attachment to a host as an admin writes it: its uplink there, checked by {@link Uplink}. */
public record AttachRequest(
        @Schema(description = "Public networks only: the host's interface on whose segment the provider expects the servers' addresses "
                + "(a VLAN with its router, not routed to the host), where the host answers ARP and neighbour discovery for each of its "
                + "servers' addresses. A Linux interface name: 1 to 15 of A-Z, a-z, 0-9, '_', '.' and '-', not '.', '..', lo or the "
                + "agent's own (crb-*); absent or empty: none, the provider routes the network to the host", examples = "eth1")
        String uplink) {
}
