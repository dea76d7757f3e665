package io.corral.panel.forward;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.server.ArrivingOnHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Function;

/**
 * Servers' port forwards in the database (V15): a port_forward row each, with the server's host, whose
 * unique (host_id, protocol, host_port) gives a host's port to one server at most, however many ask at once.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Forwards {
    /** The first key of the advisory lock on a host's forwards (the second is the host's id): issue 15's. */
    private static final int HOST_FORWARDS_LOCK = 15;
    /**
     * Whether the forward f of server v counts on one of :hosts: v is on one, is being moved to one, or left a copy on one
     * whose agent still forwards its ports (a stray copy).
     */
    private static final String COUNTS_ON = """
            (v.host_id in (:hosts) or v.moving_to_host_id in (:hosts)
             or exists (select 1 from stray_copy sc where sc.server_id = v.id and sc.host_id in (:hosts)))""";
    /** Whether a server (this one's rows already in, too) has :protocol :hostPort counting on one of :hosts. */
    private static final String TAKEN = "exists (select 1 from port_forward f join virtual_server v on v.id = f.server_id"
            + " where f.protocol = :protocol and f.host_port = :hostPort and " + COUNTS_ON + ")";
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
     * A server being moved needs its ports free on both hosts, as a move needs them free where it goes.
     */
    public List<PortForward> replace(long serverId, long hostId, List<PortForward> forwards) {
        List<Long> hosts = lockHosts(serverId, hostId);
        for (long host : hosts) {
            checkRoom(serverId, host, forwards.size());
        }
        release(serverId);
        PortForward[] saved = new PortForward[forwards.size()];
        for (int i = 0; i < forwards.size(); i++) {
            PortForward forward = forwards.get(i);
            if (forward.hostPort() != null) {
                if (!insert(serverId, hostId, hosts, forward)) {
                    String field = "forwards[" + i + "].hostPort";
                    throw new DomainException(DomainException.Kind.CONFLICT, field, r -> r.forward_port_taken(field, forward.key(),
                            hostsNamed(hosts).apply(r)));
                }
                saved[i] = forward;
            }
        }
        for (int i = 0; i < forwards.size(); i++) {
            if (saved[i] == null) {
                saved[i] = pick(serverId, hostId, hosts, forwards.get(i), i);
            }
        }
        return List.of(saved);
    }

    /**
     * Puts back forwards a failed change replaced; a port another server has taken meanwhile stays that
     * server's (its own change reaches the agent after this one's failure).
     */
    public void restore(long serverId, long hostId, List<PortForward> forwards) {
        List<Long> hosts = lockHosts(serverId, hostId);
        release(serverId);
        forwards.forEach(forward -> insert(serverId, hostId, hosts, forward));
    }

    /** The server's host ports are free again: its agent has let go of them (destroyed, or never created). */
    public void release(long serverId) {
        em.createNativeQuery("delete from port_forward where server_id = :server").setParameter("server", serverId).executeUpdate();
    }

    /**
     * Checks that the server's forwards fit on the host it is about to go to (moved or evacuated there): each port free there (no server on
     * it or being moved to it has it) and room under the host's count. The lock on that host's forwards is held to the
     * commit, in which the move is recorded, and from then on the server's ports count there (see {@link #replace}).
     */
    void checkArrival(@Observes ArrivingOnHost move) {
        lock(move.toHostId());
        List<PortForward> own = of(move.serverId());
        for (PortForward forward : own) {
            if (taken(List.of(move.toHostId()), forward.protocol(), forward.hostPort())) {
                throw DomainException.conflict(r -> r.forward_arrival_taken(move.serverId(), forward.key(), move.toHostName()));
            }
        }
        long others = othersOn(move.serverId(), move.toHostId());
        if (!own.isEmpty() && others + own.size() > range.maxPerHost()) {
            throw DomainException.conflict(r -> r.forward_arrival_full(move.toHostName(), range.maxPerHost(), others, move.serverId(),
                    own.size()));
        }
    }

    /**
     * The server's host, and the host it is being moved to if it is, their forwards locked (in order of id, as every caller
     * does). The server's row is locked first, as a move's queueing locks it, so no move is queued between this read and
     * the commit (a failed change's restore comes here without having locked it).
     */
    private List<Long> lockHosts(long serverId, long hostId) {
        @SuppressWarnings("unchecked")
        List<Number> movingTo = em.createNativeQuery("select moving_to_host_id from virtual_server where id = :server for no key update")
                .setParameter("server", serverId).getResultList();
        List<Long> hosts = movingTo.isEmpty() || movingTo.get(0) == null ? List.of(hostId)
                : java.util.stream.Stream.of(hostId, movingTo.get(0).longValue()).sorted().toList();
        hosts.forEach(this::lock);
        return hosts;
    }

    /** The lock on a host's forwards, held to the commit, so changes at once cannot pass the count or take one port together. */
    private void lock(long hostId) {
        em.createNativeQuery("select cast(pg_advisory_xact_lock(:kind, cast(:host as integer)) as text)")
                .setParameter("kind", HOST_FORWARDS_LOCK).setParameter("host", hostId).getSingleResult();
    }

    private void checkRoom(long serverId, long hostId, int wanted) {
        long had = of(serverId).size(), others = othersOn(serverId, hostId);
        if (wanted > had && others + wanted > range.maxPerHost()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "forwards", r -> r.forward_host_full(range.maxPerHost(), others, wanted,
                    Math.max(had, range.maxPerHost() - others)));
        }
    }

    /** How many forwards of other servers count on the host. */
    private long othersOn(long serverId, long hostId) {
        return ((Number) em.createNativeQuery("select count(*) from port_forward f join virtual_server v on v.id = f.server_id"
                + " where f.server_id <> :server and " + COUNTS_ON)
                .setParameter("server", serverId).setParameter("hosts", List.of(hostId)).getSingleResult()).longValue();
    }

    /** Whether a server has the port counting on one of the hosts. */
    private boolean taken(List<Long> hosts, String protocol, int port) {
        return !em.createNativeQuery("select 1 where " + TAKEN).setParameter("hosts", hosts)
                .setParameter("protocol", protocol).setParameter("hostPort", port).getResultList().isEmpty();
    }

    private PortForward pick(long serverId, long hostId, List<Long> hosts, PortForward forward, int index) {
        @SuppressWarnings("unchecked")
        List<Number> free = em.createNativeQuery("select p from generate_series(cast(:first as integer), cast(:last as integer)) p where not "
                + TAKEN.replace(":hostPort", "p") + " order by p limit 1").setParameter("first", range.firstHostPort()).setParameter("last", range.lastHostPort())
                .setParameter("hosts", hosts).setParameter("protocol", forward.protocol()).getResultList();
        if (!free.isEmpty()) {
            PortForward picked = new PortForward(forward.protocol(), free.get(0).intValue(), forward.serverPort());
            if (insert(serverId, hostId, hosts, picked)) {
                return picked;
            }
        }
        String field = "forwards[" + index + "].hostPort";
        throw new DomainException(DomainException.Kind.CONFLICT, field, r -> r.forward_no_free_port(field, forward.protocol(),
                range.firstHostPort(), range.lastHostPort(), hostsNamed(hosts).apply(r)));
    }

    /** The hosts a server's forwards are checked on, as its customer knows them. */
    private static Function<Refusals, String> hostsNamed(List<Long> hosts) {
        return hosts.size() == 1 ? Refusals::forward_this_host : Refusals::forward_both_hosts;
    }

    /** Whether the row went in: false when the port is another server's on one of the hosts (no error to end the transaction). */
    private boolean insert(long serverId, long hostId, List<Long> hosts, PortForward forward) {
        return em.createNativeQuery("insert into port_forward (server_id, host_id, protocol, host_port, server_port)"
                + " select :server, :host, :protocol, :hostPort, :serverPort where not " + TAKEN + " on conflict do nothing")
                .setParameter("server", serverId).setParameter("host", hostId).setParameter("hosts", hosts).setParameter("protocol", forward.protocol())
                .setParameter("hostPort", forward.hostPort()).setParameter("serverPort", forward.serverPort()).executeUpdate() == 1;
    }
}
