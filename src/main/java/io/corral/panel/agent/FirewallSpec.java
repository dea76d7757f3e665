package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A server's inbound firewall as its agent is told it (host-agent/README.md, Networking): with the create,
 * the reinstall, and by PUT /v1/servers/{id}/firewall. ports and source are left out where a rule has none.
 */
public record FirewallSpec(String defaultInbound, List<Rule> rules) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(String action, String protocol, String ports, String source) {
    }
}
