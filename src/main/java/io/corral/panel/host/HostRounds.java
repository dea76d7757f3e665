package io.corral.panel.host;

import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Rounds over every host that each panel runs on a schedule (heartbeats, usage ingestion), shared between the panels on
 * one database: a host is claimed for most of an interval by the first panel that comes for it, so it is asked once an
 * interval, not once per panel (unless a round outlasts its claim), and a panel that dies leaves its hosts to another
 * at the next interval. Two panels claiming at once are serialized by the claims' rows, taken in order of host id: the
 * second finds them taken.
 */
@ApplicationScoped
public class HostRounds {
    /** The share of an interval a claim lasts: ends before the same panel's next round, whose timer may fire a little early. */
    private static final double CLAIM_SHARE = 0.8;
    @Inject
    EntityManager em;

    public enum Round { heartbeat, usage }

    /** The hosts of the round this panel takes now, every: the round's schedule (as its @Scheduled reads it). */
    @Transactional
    public List<Host> claim(Round round, String every) {
        long millis = (long) (DurationConverter.parseDuration(every).toMillis() * CLAIM_SHARE);
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                insert into host_round (host_id, round, claimed_until)
                select id, :round, now() + make_interval(secs => :seconds) from host order by id
                on conflict (host_id, round) do update set claimed_until = excluded.claimed_until
                where host_round.claimed_until <= now()
                returning host_id""").setParameter("round", round.name()).setParameter("seconds", millis / 1000.0).getResultList();
        return ids.isEmpty() ? List.of() : Host.list("id in ?1 order by id", ids.stream().map(Number::longValue).toList());
    }
}
