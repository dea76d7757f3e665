package io.corral.panel.firewall;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Servers' firewalls in the database (V14): a server_firewall row with the default, a firewall_rule row per rule. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Firewalls {
    @Inject
    EntityManager em;

    /** The server's firewall, or empty when none was ever set (the server is open). */
    public Optional<Firewall> of(long serverId) {
        @SuppressWarnings("unchecked")
        List<String> defaults = em.createNativeQuery("select default_inbound from server_firewall where server_id = :server")
                .setParameter("server", serverId).getResultList();
        if (defaults.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select action, protocol, first_port, last_port, text(source) from firewall_rule
                where server_id = :server order by position""").setParameter("server", serverId).getResultList();
        return Optional.of(new Firewall(defaults.get(0), rows.stream().map(r -> new Firewall.Rule((String) r[0], (String) r[1],
                ports((Number) r[2], (Number) r[3]), (String) r[4])).toList()));
    }

    /**
     * Replaces the server's firewall with a validated one. The upsert locks the server's row, so two
     * changes at once are applied one after the other, each whole.
     */
    public void replace(long serverId, Firewall firewall) {
        em.createNativeQuery("""
                insert into server_firewall (server_id, default_inbound) values (:server, :default)
                on conflict (server_id) do update set default_inbound = excluded.default_inbound""")
                .setParameter("server", serverId).setParameter("default", firewall.defaultInbound()).executeUpdate();
        em.createNativeQuery("delete from firewall_rule where server_id = :server").setParameter("server", serverId).executeUpdate();
        for (int i = 0; i < firewall.rules().size(); i++) {
            Firewall.Rule rule = firewall.rules().get(i);
            int[] range = rule.portRange();
            em.createNativeQuery("""
                    insert into firewall_rule (server_id, position, action, protocol, first_port, last_port, source)
                    values (:server, :position, :action, :protocol, nullif(:first, 0), nullif(:last, 0), cast(nullif(:source, '') as cidr))""")
                    .setParameter("server", serverId).setParameter("position", i).setParameter("action", rule.action())
                    .setParameter("protocol", rule.protocol())
                    // none as 0 and '': a null parameter has no type for PostgreSQL to go by
                    .setParameter("first", range == null ? 0 : range[0]).setParameter("last", range == null ? 0 : range[1])
                    .setParameter("source", rule.source() == null ? "" : rule.source()).executeUpdate();
        }
    }

    private static String ports(Number first, Number last) {
        if (first == null) {
            return null;
        }
        return first.intValue() == last.intValue() ? Integer.toString(first.intValue()) : first + "-" + last;
    }
}
