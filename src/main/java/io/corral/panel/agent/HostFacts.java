package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What an agent says of its host; unknown fields are ignored so the agent can grow. templates: the
 * templates installed there (null from an agent older than that fact).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HostFacts(String hostname, String kernel, String cgroupVersion, int cores, long memoryMiB, long diskMiB, int servers,
                        int runningServers, boolean userNamespaces, String userNamespacesUnavailable, boolean deviceControl,
                        List<String> templates) {
}
