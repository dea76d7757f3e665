package io.corral.panel.operation;

import io.corral.panel.agent.Agent;
import io.corral.panel.agent.CredentialsSpec;
import io.corral.panel.agent.FirewallSpec;
import io.corral.panel.agent.ForwardSpec;
import io.corral.panel.agent.NetworkSpec;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import java.util.List;

/**
 * What a worker needs to run one claimed operation, read in one short transaction; rates: the tenant's plan's now;
 * network (for a create or a reinstall) is null for a server without one, firewall (for a create, a reinstall or a
 * firewall change) for a server whose firewall was never set, forwards (for a create or a reinstall, null without any;
 * for a forwards change, whole) for any other operation; credentials (root's keys and password hash, for a create or a
 * reinstall, null without either; the keys alone for a change of keys) for any other operation; copy: the snapshot or
 * backup a snapshot's or backup's operation is about (null for others), copySource: the server whose backup a backup
 * restore puts in place (this one or another); moveTo: for a move, the receiving host's agent (agent is then the sending
 * host's, which the server is on until the move ends), null for others; moveToHost: that host's id; busyAttempts: of the
 * attempts, those that found the server busy on its host; tenantId: the server's tenant, whose share of the workers it
 * takes.
 */
record Job(long operationId, Operation.Kind kind, int attempts, int busyAttempts, long tenantId, String serverId, Agent agent, String hostname,
           String template, Limits limits, Rates rates, VirtualServer.Desired desired, NetworkSpec network, FirewallSpec firewall,
           List<ForwardSpec> forwards, CredentialsSpec credentials, String copy, String copySource, Agent moveTo, Long moveToHost) {
}
