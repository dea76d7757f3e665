package io.corral.panel.network;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Servers' addresses: taken in the order's transaction from a network of the plan's kind that the
 * server's host has, given back when the server is gone. The networks taken from are row-locked, and
 * an address is a server's alone by the table's key, so concurrent orders never share one.
 */
@ApplicationScoped
public class Addresses {
    @Inject
    EntityManager em;
    @Inject
    Rows rows;
    @Inject
    Networks networks;

    /** The hosts that have a network of the kind. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Set<Long> hostsWith(Kind kind) {
        return ((List<Number>) em.createNativeQuery("select distinct hn.host_id from host_network hn join network n on n.id = hn.network_id "
                + "where n.kind = ?1").setParameter(1, kind.word()).getResultList()).stream().map(Number::longValue).collect(Collectors.toSet());
    }

    /**
     * Gives the server an IPv4 address, and an IPv6 one where the network has IPv6, from the first network
     * of the kind (by name) on the host with room for both. Refused (409) naming each network that is full,
     * and with nothing taken: the caller's transaction rolls back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ServerNetwork assign(long serverId, long hostId, String hostName, Kind kind) {
        List<NetworkRow> candidates = networks.rows("join host_network hn on hn.network_id = n.id where hn.host_id = ? and n.kind = '"
                + kind.word() + "' order by n.name for update of n", hostId);
        if (candidates.isEmpty()) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.network_none_on_host(hostName, kind.word()));
        }
        List<Function<Refusals, String>> full = new ArrayList<>();
        for (NetworkRow n : candidates) {
            Optional<IpAddress> v4 = free(n, 4);
            Optional<IpAddress> v6 = n.v6() == null ? Optional.empty() : free(n, 6);
            if (v4.isPresent() && (n.v6() == null || v6.isPresent())) {
                take(n, v4.get(), serverId);
                v6.ifPresent(a -> take(n, a, serverId));
                return n.serverNetwork(v4.get(), v6.orElse(null));
            }
            int family = v4.isEmpty() ? 4 : 6;
            BigInteger size = networks.pools(n).stream().filter(p -> IpAddress.parseEither("first", p.first()).family() == family)
                    .map(PoolView::size).reduce(BigInteger.ZERO, BigInteger::add);
            full.add(size.signum() == 0 ? r -> r.network_no_pool(n.name(), family) : r -> r.network_pools_taken(n.name(), family, size.toString()));
        }
        throw DomainException.conflict(r -> r.network_full(full.stream().map(f -> f.apply(r)).reduce(r::network_full_and).orElseThrow()));
    }

    /** The lowest address of the family in the network's pools that no server holds and that is never held back. */
    private Optional<IpAddress> free(NetworkRow n, int family) {
        String never = n.neverHandedOut(family).stream().map(IpAddress::toString).collect(Collectors.joining(",", "{", "}"));
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("""
                with pool as (select first_address as f, last_address as l from address_pool where network_id = ?1 and family(first_address) = ?2),
                     never as (select unnest(cast(?3 as inet[])) as a),
                     candidate as (
                         select f as c from pool
                         union all
                         select s.address + 1 from server_address s join pool p on s.address >= p.f and s.address < p.l where s.network_id = ?1
                         union all
                         select k.a + 1 from never k join pool p on k.a >= p.f and k.a < p.l)
                select host(c) from candidate
                where not exists (select 1 from server_address s where s.network_id = ?1 and s.address = candidate.c)
                  and not exists (select 1 from never k where k.a = candidate.c)
                order by c limit 1""")
                .setParameter(1, n.id()).setParameter(2, family).setParameter(3, never).getResultList();
        return found.stream().findFirst().map(a -> IpAddress.parse("address", a, family));
    }

    private void take(NetworkRow n, IpAddress a, long serverId) {
        em.createNativeQuery("insert into server_address (network_id, address, server_id) values (?1, cast(?2 as inet), ?3)")
                .setParameter(1, n.id()).setParameter(2, a.toString()).setParameter(3, serverId).executeUpdate();
    }

    /** Gives the server's addresses back to their pools: its destroy has completed, or its create failed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(long serverId) {
        em.createNativeQuery("delete from server_address where server_id = ?1").setParameter(1, serverId).executeUpdate();
    }

    /**
     * The uplink of the server's network on the host (its own, or the one a move takes it to), where that host answers
     * for its addresses; empty for a server without a network or on one routed to that host. Only its agent is told it:
     * not in {@link ServerNetwork}, which its customer reads.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> uplink(long serverId, long hostId) {
        return rows.list("""
                select hn.uplink from server_address a join host_network hn on hn.network_id = a.network_id and hn.host_id = ?
                where a.server_id = ? and hn.uplink is not null limit 1""", r -> r.getString(1), hostId, serverId).stream().findFirst();
    }

    /**
     * The name of a network the server holds addresses of that the host is not on; empty if the host has them all (or the
     * server has none). The caller holds the host's row lock, which taking a network from a host takes first, so none
     * leaves the host before the move is queued; from then on the server counts among the network's holders there.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> missingOn(long serverId, long hostId) {
        return rows.list("""
                select n.name from network n where n.id in (select network_id from server_address where server_id = ?)
                and not exists (select 1 from host_network hn where hn.network_id = n.id and hn.host_id = ?)
                order by n.name""", r -> r.getString(1), serverId, hostId).stream().findFirst();
    }

    /** Those of the hosts that are on every network the server holds addresses of (all of them for a server without). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<Long> onItsNetworks(long serverId, Set<Long> hosts) {
        return new java.util.HashSet<>(rows.list("""
                select h from unnest(cast(? as bigint[])) h where not exists (select 1 from server_address a where a.server_id = ?
                    and not exists (select 1 from host_network hn where hn.network_id = a.network_id and hn.host_id = h))""",
                r -> r.getLong(1), hosts.toArray(Long[]::new), serverId));
    }

    /** The server's network and addresses; empty for a server without. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ServerNetwork> of(long serverId) {
        List<ServerNetwork> found = rows.list("select " + AddressColumns.COLUMNS + " from virtual_server v" + AddressColumns.JOINS
                + " where v.id = ?", r -> AddressColumns.read(r, 1), serverId);
        return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0));
    }
}
