package io.corral.panel.credential;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Servers' root credentials in the database (V20): a server_ssh_key row per key, in order, and the password's hash. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Credentials {
    @Inject
    EntityManager em;

    /** The server's keys as authorized_keys lines, in the order they were given. */
    public List<String> keys(long serverId) {
        @SuppressWarnings("unchecked")
        List<String> keys = em.createNativeQuery("select key from server_ssh_key where server_id = :server order by position")
                .setParameter("server", serverId).getResultList();
        return keys;
    }

    public void replaceKeys(long serverId, List<SshKey> keys) {
        em.createNativeQuery("delete from server_ssh_key where server_id = :server").setParameter("server", serverId).executeUpdate();
        for (int i = 0; i < keys.size(); i++) {
            em.createNativeQuery("insert into server_ssh_key (server_id, position, key) values (:server, :position, :key)")
                    .setParameter("server", serverId).setParameter("position", i).setParameter("key", keys.get(i).line()).executeUpdate();
        }
    }

    /** The SHA-512 crypt hash of root's password, if one was given. */
    public Optional<String> passwordHash(long serverId) {
        @SuppressWarnings("unchecked")
        List<String> hashes = em.createNativeQuery("select hash from server_root_password where server_id = :server")
                .setParameter("server", serverId).getResultList();
        return hashes.stream().findFirst();
    }

    public void setPasswordHash(long serverId, String hash) {
        em.createNativeQuery("""
                insert into server_root_password (server_id, hash) values (:server, :hash)
                on conflict (server_id) do update set hash = excluded.hash""")
                .setParameter("server", serverId).setParameter("hash", hash).executeUpdate();
    }
}
