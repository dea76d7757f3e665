package io.corral.panel.host;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.corral.panel.limits.Limits;
import java.util.List;

/** The agent's JSON shapes, as far as the panel reads them; unknown fields are ignored so the agent can grow. */
public final class AgentDtos {
    private AgentDtos() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostFacts(String hostname, String kernel, String cgroupVersion, int cores, long memoryMiB,
                            long diskMiB, int servers, int runningServers, boolean userNamespaces,
                            String userNamespacesUnavailable, boolean deviceControl) {
    }

    /** One sampling round of a host's agent (see host-agent/README.md, metering). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SampleRound(long seq, long atMillis, HostSample host, List<ServerSample> servers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostSample(long cpuBusyTicks, long cpuTotalTicks, double load1, long memoryUsedBytes,
                             long memoryAvailableBytes, int servers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServerSample(String id, boolean running, String epoch, long cpuNanos, long memoryBytes,
                               long memoryPeakBytes, long processes, long oomKills, long throttledNanos,
                               long pidsLimitHits, long diskUsedBytes, long cpuStallMicros, long memoryStallMicros,
                               long ioStallMicros) {
    }

    /** How a running server is held in, as its agent reads it from the live system. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Isolation(List<String> namespaces, List<String> sharedNamespaces, List<String> capabilities,
                            boolean seccomp, boolean noNewPrivileges, String devices, String userNamespace) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Server(String id, String hostname, String template, String desired, String state, Integer initPid, UserRange users) {
    }

    /** The host ids a server's own user namespace maps to; absent for a server without one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRange(long first, long count) {
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
