package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import java.util.List;

/** The agent's JSON shapes that only this package writes or reads: request bodies and its error answer. */
final class AgentDtos {
    private AgentDtos() {
    }

    /**
     * With start, the agent boots the server in the same call. network is left out for a server without
     * one: an agent from before networks refuses a field it does not know; so is firewall for a server
     * whose firewall was never set (the agent's default is the same: open), forwards for a server
     * without any, and credentials for a server ordered without keys or password.
     */
    record Create(String id, String hostname, String template, AgentLimits limits, boolean start,
                  @JsonInclude(JsonInclude.Include.NON_NULL) NetworkSpec network,
                  @JsonInclude(JsonInclude.Include.NON_NULL) FirewallSpec firewall,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<ForwardSpec> forwards,
                  @JsonInclude(JsonInclude.Include.NON_NULL) CredentialsSpec credentials,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String moveToken) {
    }

    /** Where a move sends the server: the receiving agent, its certificate's fingerprint, the move's token. */
    record Send(String to, String fingerprint, String token) {
    }

    /** A server's limits as the agent takes them, one object: the server's own and the rates its plan gives it. */
    record AgentLimits(@JsonUnwrapped Limits server, @JsonUnwrapped Rates rates) {
    }

    /**
     * The server's network again, unchanged (the agent keeps it in the server's spec across the reinstall),
     * and its firewall and forwards, which the reinstalled server boots with: so a change the agent never got
     * is made good; and root's credentials, written into the fresh root.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reinstall(NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards, CredentialsSpec credentials) {
    }

    /** Root's SSH keys whole, as PUT /v1/servers/{id}/ssh-keys takes them. */
    record SshKeys(List<String> sshKeys) {
    }

    /** A server's forwards whole, as PUT and GET /v1/servers/{id}/forwards carry them. */
    record Forwards(List<ForwardSpec> forwards) {
    }

    /** A snapshot or backup to make, by the id the panel chose. */
    record Copy(String id) {
    }

    /** Which backup to restore: of this server or another (serverId), from the host's store. */
    record Restore(String serverId, String backupId) {
    }

    record Exec(List<String> command, int timeoutSeconds) {
    }

    /** What a server's backups take in its host's store, each chunk counted once. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BackupStorage(String serverId, long storedBytes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    /** A one-time token for a console session and the agent's port to present it on. */
    record ConsoleTicket(String token, int port) {
    }

    record Problem(int status, String detail, String field) {
    }
}
