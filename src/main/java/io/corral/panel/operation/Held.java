package io.corral.panel.operation;

import io.corral.panel.agent.FirewallSpec;
import io.corral.panel.agent.ForwardSpec;
import java.util.List;

/**
 * What a server's agent holds of a change it failed (its firewall, its forwards), asked after the failure:
 * the agent may have taken a change whose answer was lost, or kept the one before. Null where it could not
 * say (not asked, or not reached).
 */
public record Held(FirewallSpec firewall, List<ForwardSpec> forwards) {
    public static final Held UNKNOWN = new Held(null, null);
}
