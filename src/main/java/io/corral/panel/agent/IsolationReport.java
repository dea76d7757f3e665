package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** How a running server is held in, as its agent reads it from the live system. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IsolationReport(List<String> namespaces, List<String> sharedNamespaces, List<String> capabilities, boolean seccomp,
                              boolean noNewPrivileges, String devices, String userNamespace) {
}
