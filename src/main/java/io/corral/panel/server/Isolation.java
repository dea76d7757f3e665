package io.corral.panel.server;

import io.corral.panel.agent.IsolationReport;
import java.util.List;

/**
 * How a running server is held in, read live from its host: the namespaces it has of its own and those it
 * shares with the host, its capability bounding set, seccomp, no_new_privs, device rules and user mapping.
 */
public record Isolation(List<String> namespaces, List<String> sharedNamespaces, List<String> capabilities, boolean seccomp,
                        boolean noNewPrivileges, String devices, String userNamespace) {
    static Isolation of(IsolationReport r) {
        return new Isolation(r.namespaces(), r.sharedNamespaces(), r.capabilities(), r.seccomp(), r.noNewPrivileges(), r.devices(),
                r.userNamespace());
    }
}
