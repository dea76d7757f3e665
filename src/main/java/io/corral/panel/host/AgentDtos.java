package io.corral.panel.host;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;

/** The agent's JSON shapes, as far as the panel reads them; unknown fields are ignored so the agent can grow. */
public final class AgentDtos {
    private AgentDtos() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostFacts(String hostname, String kernel, String cgroupVersion, int cores, long memoryMiB,
                            long diskMiB, int servers, int runningServers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Limits(Long memoryMiB, Long swapMiB, BigDecimal cpus, Integer cpuWeight, Integer pids, Long diskMiB) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Server(String id, String hostname, String template, Limits limits, String desired, String state,
                         Integer initPid) {
    }

    public record Create(String id, String hostname, String template, Limits limits) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Problem(int status, String detail, String field) {
    }
}
