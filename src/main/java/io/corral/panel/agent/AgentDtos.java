package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.corral.panel.limits.Limits;
import java.util.List;

/** The agent's JSON shapes that only this package writes or reads: request bodies and its error answer. */
final class AgentDtos {
    private AgentDtos() {
    }

    /** With start, the agent boots the server in the same call. */
    record Create(String id, String hostname, String template, Limits limits, boolean start) {
    }

    record Exec(List<String> command, int timeoutSeconds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(int status, String detail, String field) {
    }
}
