package io.corral.panel.network;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.Refusals;
import io.corral.panel.host.Host;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Admins' networks: made whole or refused with the field at fault named; pools and hosts added to one
 * network at a time (its row locked); a network, or a host's attachment to it, that servers' addresses
 * depend on stays until those servers are destroyed.
 */
@ApplicationScoped
@Transactional
public class NetworkService {
    @Inject
    EntityManager em;
    @Inject
    Networks networks;
    @Inject
    Audit audit;

    public List<NetworkView> all() {
        return networks.views();
    }

    /** An admin has a handful of networks: a page is cut from all of them. */
    public Page<NetworkView> list(PageRequest page) {
        return Page.of(all(), page);
    }

    public Optional<NetworkView> find(long id) {
        return networks.rows("where n.id = ?", id).stream().findFirst().map(networks::view);
    }

    public NetworkView create(NetworkRequest r) {
        Prefix v4 = Prefix.parse("ipv4Prefix", r.ipv4Prefix(), 4);
        IpAddress gateway4 = gateway("gateway4", r.gateway4(), v4);
        Prefix v6 = null;
        IpAddress gateway6 = null;
        if (r.ipv6Prefix() != null) {
            v6 = Prefix.parse("ipv6Prefix", r.ipv6Prefix(), 6);
            if (r.gateway6() == null) {
                throw DomainException.invalid("gateway6", Refusals::network_gateway6_required);
            }
            gateway6 = gateway("gateway6", r.gateway6(), v6);
        } else if (r.gateway6() != null) {
            throw DomainException.invalid("ipv6Prefix", Refusals::network_ipv6_prefix_required);
        }
        List<String> resolvers = new ArrayList<>();
        for (String resolver : r.resolvers() == null ? List.<String>of() : r.resolvers()) {
            resolvers.add(IpAddress.parseEither("resolvers", resolver).toString());
        }
        Kind kind = Kind.of(r.kind());
        // one network made at a time, so the name and overlap checks below hold until it commits
        em.createNativeQuery("lock table network in exclusive mode").executeUpdate();
        if (!networks.rows("where n.name = ?", r.name()).isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "name", words -> words.network_name_taken(r.name()));
        }
        for (NetworkRow other : networks.all()) {
            if (kind == Kind.PUBLIC || other.kind() == Kind.PUBLIC) {
                overlap("ipv4Prefix", v4, other);
                overlap("ipv6Prefix", v6, other);
            }
        }
        long id = ((Number) em.createNativeQuery("""
                insert into network (name, kind, ipv4_prefix, gateway4, ipv6_prefix, gateway6, resolvers)
                values (?1, ?2, cast(?3 as cidr), cast(?4 as inet), cast(nullif(?5, '') as cidr), cast(nullif(?6, '') as inet), ?7)
                returning id""")
                .setParameter(1, r.name()).setParameter(2, kind.word()).setParameter(3, v4.toString()).setParameter(4, gateway4.toString())
                .setParameter(5, v6 == null ? "" : v6.toString()).setParameter(6, gateway6 == null ? "" : gateway6.toString())
                .setParameter(7, String.join(",", resolvers)).getSingleResult()).longValue();
        audit.record("network.create", "network/" + id, r.name() + " (" + kind.word() + ") " + v4 + (v6 == null ? "" : " " + v6));
        return find(id).orElseThrow();
    }

    /** A gateway inside its prefix that is neither the network's own address nor (IPv4) its broadcast address. */
    private static IpAddress gateway(String field, String text, Prefix prefix) {
        IpAddress g = IpAddress.parse(field, text, prefix.family());
        if (!prefix.contains(g)) {
            throw DomainException.invalid(field, r -> r.network_outside_prefix(field, g.toString(), prefix.toString()));
        }
        if (g.equals(prefix.first())) {
            throw DomainException.invalid(field, r -> r.network_gateway_own(field, g.toString(), prefix.toString()));
        }
        if (prefix.family() == 4 && g.equals(prefix.last())) {
            throw DomainException.invalid(field, r -> r.network_gateway_broadcast(field, g.toString(), prefix.toString()));
        }
        return g;
    }

    /** Public addresses belong to one network only; private ranges may repeat (each masqueraded by its own hosts). */
    private static void overlap(String field, Prefix mine, NetworkRow other) {
        Prefix theirs = mine == null ? null : other.prefix(mine.family());
        if (theirs != null && mine.overlaps(theirs)) {
            throw new DomainException(DomainException.Kind.CONFLICT, field,
                    r -> r.network_prefix_overlaps(field, mine.toString(), other.name(), theirs.toString()));
        }
    }

    public NetworkView addPool(long networkId, PoolRequest r) {
        NetworkRow n = lock(networkId);
        IpAddress first = IpAddress.parseEither("first", r.first());
        IpAddress last = IpAddress.parse("last", r.last(), first.family());
        Prefix prefix = n.prefix(first.family());
        if (prefix == null) {
            throw DomainException.invalid("first", words -> words.network_no_ipv6(n.name()));
        }
        for (var end : List.of(java.util.Map.entry("first", first), java.util.Map.entry("last", last))) {
            if (!prefix.contains(end.getValue())) {
                throw DomainException.invalid(end.getKey(), words -> words.network_outside_prefix(end.getKey(), end.getValue().toString(),
                        prefix.toString()));
            }
        }
        if (last.compareTo(first) < 0) {
            throw DomainException.invalid("last", words -> words.network_pool_reversed(first.toString(), last.toString()));
        }
        if (Networks.size(n, first, last).signum() == 0) {
            throw DomainException.invalid("last", words -> words.network_pool_empty(first.toString(), last.toString()));
        }
        for (PoolView other : networks.pools(n)) {
            IpAddress from = IpAddress.parseEither("first", other.first()), to = IpAddress.parseEither("last", other.last());
            if (from.family() == first.family() && first.compareTo(to) <= 0 && from.compareTo(last) <= 0) {
                throw new DomainException(DomainException.Kind.CONFLICT, "first", words -> words.network_pool_overlaps(first.toString(),
                        last.toString(), other.first(), other.last(), n.name()));
            }
        }
        em.createNativeQuery("insert into address_pool (network_id, first_address, last_address) values (?1, cast(?2 as inet), cast(?3 as inet))")
                .setParameter(1, n.id()).setParameter(2, first.toString()).setParameter(3, last.toString()).executeUpdate();
        audit.record("network.pool", "network/" + n.id(), n.name() + ": " + first + "–" + last);
        return networks.view(n);
    }

    /**
     * Lets the host give its servers the network's addresses, answered on the uplink where one is given (null:
     * routed to the host); attaching it again sets the uplink, and the same again changes nothing.
     */
    public NetworkView attach(long networkId, long hostId, String uplinkText) {
        Host host = lockHost(hostId);
        NetworkRow n = lock(networkId);
        String uplink = Uplink.validated(uplinkText, n);
        @SuppressWarnings("unchecked")
        List<String> attached = em.createNativeQuery("select coalesce(uplink, '') from host_network where host_id = ?1 and network_id = ?2")
                .setParameter(1, hostId).setParameter(2, n.id()).getResultList();
        if (!attached.isEmpty()) {
            return changeUplink(n, host, attached.get(0).isEmpty() ? null : attached.get(0), uplink);
        }
        List<NetworkRow> onHost = networks.rows("join host_network hn on hn.network_id = n.id where hn.host_id = ?", hostId);
        for (NetworkRow other : onHost) {
            for (int family : new int[] {4, 6}) {
                Prefix mine = n.prefix(family), theirs = other.prefix(family);
                if (mine != null && theirs != null && mine.overlaps(theirs)) {
                    throw new DomainException(DomainException.Kind.CONFLICT, "hostId", r -> r.network_host_overlap(host.name, other.name(),
                            theirs.toString(), n.name(), mine.toString()));
                }
            }
        }
        em.createNativeQuery("insert into host_network (host_id, network_id, uplink) values (?1, ?2, nullif(?3, ''))").setParameter(1, hostId)
                .setParameter(2, n.id()).setParameter(3, uplink == null ? "" : uplink).executeUpdate();
        audit.record("network.attach", "network/" + n.id(), n.name() + " on host " + host.name + (uplink == null ? "" : ", uplink " + uplink));
        return networks.view(n);
    }

    /**
     * A host's uplink for the network, changed only while none of its servers holds the network's addresses: their
     * agent answers for them on the uplink their spec names, and refuses another within one network while they have it.
     */
    private NetworkView changeUplink(NetworkRow n, Host host, String was, String uplink) {
        if (Objects.equals(was, uplink)) {
            return networks.view(n);
        }
        List<Long> holders = networks.holders(n.id(), host.id);
        if (!holders.isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, Uplink.FIELD, was == null
                    ? r -> r.network_uplink_busy_routed(list(holders), host.name, n.name())
                    : r -> r.network_uplink_busy(list(holders), host.name, n.name(), was));
        }
        em.createNativeQuery("update host_network set uplink = nullif(?3, '') where host_id = ?1 and network_id = ?2").setParameter(1, host.id)
                .setParameter(2, n.id()).setParameter(3, uplink == null ? "" : uplink).executeUpdate();
        audit.record("network.attach", "network/" + n.id(), n.name() + " on host " + host.name + ", uplink " + (uplink == null ? "none" : uplink)
                + " (was " + (was == null ? "none" : was) + ")");
        return networks.view(n);
    }

    /** Takes the network from the host; refused while servers on that host hold its addresses. */
    public NetworkView detach(long networkId, long hostId) {
        Host host = lockHost(hostId);
        NetworkRow n = lock(networkId);
        List<Long> holders = networks.holders(n.id(), hostId);
        if (!holders.isEmpty()) {
            throw DomainException.conflict(r -> r.network_detach_busy(list(holders), host.name, n.name()));
        }
        em.createNativeQuery("delete from host_network where host_id = ?1 and network_id = ?2").setParameter(1, hostId)
                .setParameter(2, n.id()).executeUpdate();
        audit.record("network.detach", "network/" + n.id(), n.name() + " from host " + host.name);
        return networks.view(n);
    }

    /** Deletes the network with its pools and attachments; refused while servers hold its addresses. */
    public void delete(long networkId) {
        NetworkRow n = lock(networkId);
        List<Long> holders = networks.holders(n.id(), null);
        if (!holders.isEmpty()) {
            throw DomainException.conflict(r -> r.network_in_use(n.name(), list(holders)));
        }
        em.createNativeQuery("delete from network where id = ?1").setParameter(1, n.id()).executeUpdate();
        audit.record("network.delete", "network/" + n.id(), n.name());
    }

    private static String list(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The host row, locked before the network's as an order locks them (hosts, then their networks), so a
     * change of a host's networks and an order wait for each other rather than deadlock.
     */
    private Host lockHost(long id) {
        return Optional.ofNullable(em.find(Host.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(id)));
    }

    private NetworkRow lock(long id) {
        return networks.lock(id).orElseThrow(() -> DomainException.notFound(r -> r.network_not_found(id)));
    }
}
