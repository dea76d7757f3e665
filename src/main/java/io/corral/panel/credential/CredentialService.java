package io.corral.panel.credential;

import io.corral.panel.audit.Audit;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerCredentials;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * Servers' root credentials: the keys and password an order or a reinstall gives, and the keys customers
 * change later, on the servers the caller may see (another tenant's is not found), saved and queued for
 * the server's agent in one transaction, as a firewall is. Audit events name keys by their fingerprints;
 * the password appears nowhere but as its hash in server_root_password.
 */
@ApplicationScoped
@Transactional
public class CredentialService implements ServerCredentials {
    @Inject
    ServerService servers;
    @Inject
    Credentials credentials;
    @Inject
    Operations operations;
    @Inject
    Audit audit;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public LongConsumer check(List<String> sshKeys, String rootPassword) {
        String hash = RootPassword.hash(rootPassword, "rootPassword");
        List<SshKey> keys = sshKeys == null ? null : SshKey.parseAll(sshKeys, "sshKeys");
        return serverId -> {
            if (keys != null) {
                credentials.replaceKeys(serverId, keys);
            }
            if (hash != null) {
                credentials.setPasswordHash(serverId, hash);
                audit.record("server.password", "server/" + serverId, "root's password set (its hash is kept, not the password)");
            }
        };
    }

    /** The server's keys, checked again as they are shown (each was checked when it was saved). */
    public List<SshKey> keys(long serverId) {
        return credentials.keys(servers.get(serverId).id).stream().map(k -> SshKey.parse(k, "sshKeys")).toList();
    }

    /** Replaces the server's keys whole and queues them for its agent. */
    public Operation change(long serverId, List<String> keys, String idempotencyKey) {
        return change(serverId, current -> SshKey.parseAll(keys, "sshKeys"), idempotencyKey);
    }

    /**
     * Changes the server's keys as they are now (the page's forms: add one, remove one) under the server's row
     * lock, so two changes at once both count; the agent writes them whole into the running server, or into a
     * stopped one at its next boot.
     */
    public Operation change(long serverId, UnaryOperator<List<SshKey>> change, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        List<SshKey> before = credentials.keys(v.id).stream().map(k -> SshKey.parse(k, "sshKeys")).toList();
        List<SshKey> after = SshKey.parseAll(change.apply(before).stream().map(SshKey::line).toList(), "sshKeys");
        credentials.replaceKeys(v.id, after);
        v.updatedAt = OffsetDateTime.now();
        audit.record("server.sshKeys", "server/" + v.id, after.isEmpty() ? "no keys"
                : String.join(", ", after.stream().map(SshKey::fingerprint).toList()));
        return operations.enqueueChange(v, Operation.Kind.sshKeys, idempotencyKey, before.stream().map(SshKey::line).toList());
    }
}
