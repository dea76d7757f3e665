package io.corral.panel.network;

import io.corral.panel.common.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads networks with their pools, fullness and hosts, for the admin's views and the service's checks. */
@ApplicationScoped
class Networks {
    @Inject
    EntityManager em;
    @Inject
    Rows rows;

    /** One network, row-locked: pools, hosts and addresses of a network change one at a time. */
    Optional<NetworkRow> lock(long id) {
        return rows("where n.id = ? for update", id).stream().findFirst();
    }

    /** Every network, by name. */
    List<NetworkRow> all() {
        return rows("order by n.name");
    }

    /** The networks of a condition on n, its parameters written ?. */
    List<NetworkRow> rows(String where, Object... parameters) {
        return rows.list("select " + NetworkRow.COLUMNS + " from network n " + where, r -> NetworkRow.of(r, 1), parameters);
    }

    /** The network's pools, IPv4 first, each with how many addresses it offers and how many servers hold. */
    @SuppressWarnings("unchecked")
    List<PoolView> pools(NetworkRow n) {
        List<Object[]> rows = em.createNativeQuery("""
                select p.id, host(p.first_address), host(p.last_address),
                       (select count(*) from server_address s where s.network_id = p.network_id
                        and s.address between p.first_address and p.last_address)
                from address_pool p where p.network_id = ?1 order by family(p.first_address), p.first_address""")
                .setParameter(1, n.id()).getResultList();
        List<PoolView> pools = new ArrayList<>();
        for (Object[] r : rows) {
            IpAddress first = IpAddress.parseEither("first", (String) r[1]), last = IpAddress.parseEither("last", (String) r[2]);
            pools.add(new PoolView(((Number) r[0]).longValue(), first.toString(), last.toString(), size(n, first, last),
                    ((Number) r[3]).longValue()));
        }
        return pools;
    }

    /** How many addresses of the range a server can get. */
    static BigInteger size(NetworkRow n, IpAddress first, IpAddress last) {
        long never = n.neverHandedOut(first.family()).stream().filter(a -> a.compareTo(first) >= 0 && a.compareTo(last) <= 0).count();
        return last.value().subtract(first.value()).add(BigInteger.ONE).subtract(BigInteger.valueOf(never));
    }

    NetworkView view(NetworkRow n) {
        return view(n, pools(n), hosts().getOrDefault(n.id(), List.of()), servers().getOrDefault(n.id(), 0L));
    }

    List<NetworkView> views() {
        Map<Long, List<NetworkView.HostRef>> hosts = hosts();
        Map<Long, Long> servers = servers();
        return all().stream().map(n -> view(n, pools(n), hosts.getOrDefault(n.id(), List.of()), servers.getOrDefault(n.id(), 0L))).toList();
    }

    private static NetworkView view(NetworkRow n, List<PoolView> pools, List<NetworkView.HostRef> hosts, long servers) {
        return new NetworkView(n.id(), n.name(), n.kind().word(), n.v4().toString(), n.gateway4().toString(),
                n.v6() == null ? null : n.v6().toString(), n.gateway6() == null ? null : n.gateway6().toString(), n.resolvers(), pools, hosts,
                servers);
    }

    /** The hosts attached to each network with their uplinks, by network id, by host name. */
    @SuppressWarnings("unchecked")
    private Map<Long, List<NetworkView.HostRef>> hosts() {
        List<Object[]> rows = em.createNativeQuery("select hn.network_id, h.id, h.name, hn.uplink from host_network hn join host h on h.id = hn.host_id "
                + "order by h.name").getResultList();
        return rows.stream().collect(Collectors.groupingBy(r -> ((Number) r[0]).longValue(), LinkedHashMap::new,
                Collectors.mapping(r -> new NetworkView.HostRef(((Number) r[1]).longValue(), (String) r[2], (String) r[3]), Collectors.toList())));
    }

    /** How many servers hold addresses of each network. */
    @SuppressWarnings("unchecked")
    private Map<Long, Long> servers() {
        List<Object[]> rows = em.createNativeQuery("select network_id, count(distinct server_id) from server_address group by network_id")
                .getResultList();
        return rows.stream().collect(Collectors.toMap(r -> ((Number) r[0]).longValue(), r -> ((Number) r[1]).longValue()));
    }

    /** The servers holding addresses of the network, on the given host (or being moved to it) only if one is given. */
    @SuppressWarnings("unchecked")
    List<Long> holders(long networkId, Long hostId) {
        return ((List<Number>) em.createNativeQuery("""
                select distinct s.server_id from server_address s join virtual_server v on v.id = s.server_id
                where s.network_id = ?1 and (?2 = 0 or v.host_id = ?2 or v.moving_to_host_id = ?2) order by s.server_id""")
                .setParameter(1, networkId).setParameter(2, hostId == null ? 0L : hostId).getResultList())
                .stream().map(Number::longValue).toList();
    }
}
