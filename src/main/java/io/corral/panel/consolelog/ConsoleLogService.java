package io.corral.panel.consolelog;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.ConsoleChunk;
import io.corral.panel.common.QueryParams;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * A server's console log, read from its host's agent on each request (the panel keeps none of it): for
 * the server's tenant and admins, as its other reads are.
 */
@ApplicationScoped
public class ConsoleLogService {
    /** The most one request reads from the agent, which takes no more. */
    static final int MAX_BYTES = 65536;

    @Inject
    ServerService servers;
    @Inject
    AgentClient agents;

    /** The log after the offset after (a query parameter's text), or its last lines (after absent). */
    @Transactional(Transactional.TxType.NEVER)
    public ConsoleLogView read(long id, String afterText) {
        Long after = afterText == null || afterText.isBlank() ? null : QueryParams.whole("after", afterText, 0, 0, Long.MAX_VALUE);
        VirtualServer v = servers.get(id);
        if (v.host == null) {
            return ConsoleLogView.NOTHING;
        }
        ConsoleChunk chunk;
        try {
            chunk = agents.console(v.host.agent(), v.agentId(), after, MAX_BYTES);
        } catch (AgentException e) {
            if (e.status() == 404) {
                return ConsoleLogView.NOTHING; // ordered, not yet made on its host
            }
            throw e;
        }
        return ConsoleLogView.of(chunk, after);
    }
}
