package io.corral.panel.forward;

import io.corral.panel.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Servers' port forwards in the database (V15): a port_forward row each, with the server's host, whose
 * unique (host_id, protocol, host_port) gives a host's port to one server at most, however many ask at once.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Forwards {
    /** Picks tried before giving up: each loses only to a request that took the port meanwhile. */
    private static final int PICKS = 20;
    /** The first key of the advisory lock on a host's forwards (the second is the host's id): issue 15's. */
    private static final int HOST_FORWARDS_LOCK = 15;
    @Inject
    EntityManager em;
    @Inject
    ForwardConfig range;

    /** The server's forwards, by protocol and host port. */
    public List<PortForward> of(long serverId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select protocol, host_port, server_port from port_forward where server_id = :server order by protocol, host_port""")
                .setParameter("server", serverId).getResultList();
        return rows.stream().map(r -> new PortForward((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).intValue())).toList();
    }

    /**
     * Replaces the server's forwards with validated ones, picking a free host port in the range for each
     * that names none (after those that name theirs, so a pick never takes a port asked for in the same
     * list); the forwards as saved, in the order given. A port of the host another server has is a 409.
     * A request for a port another transaction is taking waits for it, and is refused if it commits. More
     * than the host may have (corral.forwards.max-per-host) is a 409, unless the server keeps or lowers its own.
     */
    public List<PortForward> replace(long serverId, long hostId, List<PortForward> forwards) {
        checkRoom(serverId, hostId, forwards.size());
        release(serverId);
        PortForward[] saved = new PortForward[forwards.size()];
        for (int i = 0; i < forwards.size(); i++) {
            PortForward forward = forwards.get(i);
            if (forward.hostPort() != null) {
                if (!insert(serverId, hostId, forward)) {
                    throw new DomainException(DomainException.Kind.CONFLICT, "forwards[" + i + "].hostPort", "forwards[" + i + "].hostPort: "
                            + forward.key() + " of this server's host is already forwarded to another server; ask for another port or "
                            + "leave hostPort out for a free one");
                }
                saved[i] = forward;
            }
        }
        for (int i = 0; i < forwards.size(); i++) {
            if (saved[i] == null) {
                saved[i] = pick(serverId, hostId, forwards.get(i), i);
            }
        }
        return List.of(saved);
    }

    /**
     * Puts back forwards a failed change replaced; a port another server has taken meanwhile stays that
     * server's (its own change reaches the agent after this one's failure).
     */
    public void restore(long serverId, long hostId, List<PortForward> forwards) {
        release(serverId);
        forwards.forEach(forward -> insert(serverId, hostId, forward));
    }

    /** The server's host ports are free again: its agent has let go of them (destroyed, or never created). */
    public void release(long serverId) {
        em.createNativeQuery("delete from port_forward where server_id = :server").setParameter("server", serverId).executeUpdate();
    }

    /** Under a lock on the host's forwards held to the commit, so changes at once cannot pass the count together. */
    private void checkRoom(long serverId, long hostId, int wanted) {
        em.createNativeQuery("select cast(pg_advisory_xact_lock(:kind, cast(:host as integer)) as text)")
                .setParameter("kind", HOST_FORWARDS_LOCK).setParameter("host", hostId).getSingleResult();
        Object[] counts = (Object[]) em.createNativeQuery("""
                select count(*), count(*) filter (where server_id = :server) from port_forward where host_id = :host""")
                .setParameter("server", serverId).setParameter("host", hostId).getSingleResult();
        long had = ((Number) counts[1]).longValue(), others = ((Number) counts[0]).longValue() - had;
        if (wanted > had && others + wanted > range.maxPerHost()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "forwards", "forwards: this server's host has room for "
                    + range.maxPerHost() + " port forwards of all its servers (corral.forwards.max-per-host), " + others
                    + " of them other servers'; " + wanted + " do not fit, at most " + Math.max(had, range.maxPerHost() - others) + " do");
        }
    }

    private PortForward pick(long serverId, long hostId, PortForward forward, int index) {
        for (int attempt = 0; attempt < PICKS; attempt++) {
            @SuppressWarnings("unchecked")
            List<Number> free = em.createNativeQuery("""
                    select p from generate_series(cast(:first as integer), cast(:last as integer)) p
                    where not exists (select 1 from port_forward f where f.host_id = :host and f.protocol = :protocol and f.host_port = p)
                    order by p limit 1""").setParameter("first", range.firstHostPort()).setParameter("last", range.lastHostPort())
                    .setParameter("host", hostId).setParameter("protocol", forward.protocol()).getResultList();
            if (free.isEmpty()) {
                break;
            }
            PortForward picked = new PortForward(forward.protocol(), free.get(0).intValue(), forward.serverPort());
            if (insert(serverId, hostId, picked)) {
                return picked;
            }
        }
        throw new DomainException(DomainException.Kind.CONFLICT, "forwards[" + index + "].hostPort", "forwards[" + index + "].hostPort: no "
                + forward.protocol() + " port of " + range.firstHostPort() + "-" + range.lastHostPort() + " is free on this server's host");
    }

    /** Whether the row went in: false when the host's port is another server's (ON CONFLICT, no error to end the transaction). */
    private boolean insert(long serverId, long hostId, PortForward forward) {
        return em.createNativeQuery("""
                insert into port_forward (server_id, host_id, protocol, host_port, server_port)
                values (:server, :host, :protocol, :hostPort, :serverPort) on conflict do nothing""")
                .setParameter("server", serverId).setParameter("host", hostId).setParameter("protocol", forward.protocol())
                .setParameter("hostPort", forward.hostPort()).setParameter("serverPort", forward.serverPort()).executeUpdate() == 1;
    }
}
