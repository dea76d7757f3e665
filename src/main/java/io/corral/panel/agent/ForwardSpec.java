package io.corral.panel.agent;

/**
 * A port forward as a server's agent is told it (host-agent/README.md, Networking): with the create, the
 * reinstall, and by PUT /v1/servers/{id}/forwards, where the list is its forwards whole.
 */
public record ForwardSpec(String protocol, int hostPort, int serverPort) {
}
