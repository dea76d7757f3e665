package io.corral.panel.heartbeat;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.SqlValues;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Operation ids after every one a host has had. An agent refuses a change of limits numbered before the last it took
 * (fenced by operation id), so a panel whose database was restored to an earlier point, its ids counting from there
 * again, would have every such change refused until its ids passed those; the heartbeat tells this the last id of each
 * server a host reports, and the next ids are moved past them. A host taken over could report any: the ids are moved on
 * at most {@link #MOST_AHEAD} at a time and once an hour a host, so that none can spend their range or keep the
 * operation table locked.
 */
@ApplicationScoped
public class OperationNumbers {
    private static final Logger LOG = Logger.getLogger(OperationNumbers.class);
    /** More operations than a day of the busiest fleet queues: what a restore may have lost. */
    static final long MOST_AHEAD = 100_000_000;
    /** How long the last id given out is taken as known here: the database may be restored under a running panel. */
    private static final Duration READ_AGAIN_AFTER = Duration.ofMinutes(1);
    static final Duration MOVED_AGAIN_AFTER = Duration.ofHours(1);
    /**
     * The sequence of operation ids (migrations/V1, id bigserial). Only inserts into operation take ids from it: what lets
     * the table's lock below hold every other taker off while it is moved.
     */
    private static final String SEQUENCE = "operation_id_seq";
    @Inject
    EntityManager em;
    @Inject
    Audit audit;
    /** The last id given out, as read at readAt or moved since. */
    private volatile long given;
    private volatile Instant readAt = Instant.MIN;
    /** When the ids were last moved past one a host had, by host. */
    private final Map<String, Instant> movedFor = new ConcurrentHashMap<>();

    /** A host reported its servers' last operations (one each at most); called outside any transaction. */
    public void hostHad(String host, Collection<Long> lasts) {
        if (lasts.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        if (readAt.isBefore(now.minus(READ_AGAIN_AFTER))) {
            given = QuarkusTransaction.requiringNew().call(this::lastGiven);
            readAt = now;
        }
        long known = given;
        long last = lasts.stream().filter(id -> id > known && id - known <= MOST_AHEAD).max(Long::compare).orElse(known);
        if (last == known || movedFor.getOrDefault(host, Instant.MIN).isAfter(now.minus(MOVED_AGAIN_AFTER))) {
            return;
        }
        try {
            given = Math.max(given, QuarkusTransaction.requiringNew().call(() -> movedPast(host, last)));
        } catch (PersistenceException e) { // the table's lock not had at once (a long transaction on it): at the next beat
            LOG.infof("operation ids not moved past %d, the last operation host %s had, this time: %s", last, host, e.getMessage());
        }
    }

    /** The last id given out after moving the sequence past last, if it had not passed it. */
    private long movedPast(String host, long last) {
        // no operation is inserted meanwhile, whose id the sequence would give out again once set back under it; a writer
        // of operations waits behind this at most so long
        em.createNativeQuery("set local lock_timeout = '200ms'").executeUpdate();
        em.createNativeQuery("lock table operation in exclusive mode").executeUpdate();
        long current = lastGiven();
        if (last <= current) {
            return current;
        }
        em.createNativeQuery("select setval('" + SEQUENCE + "', :last)").setParameter("last", last).getSingleResult();
        movedFor.put(host, Instant.now());
        audit.recordAs(HeartbeatSteps.ACTOR, "operation.ids-moved", "host/" + host, "from " + current + " past " + last
                + ", the last operation a server of the host had: the panel's database was restored to an earlier point?");
        LOG.warnf("operation ids moved from %d past %d, the last operation a server of host %s had", current, last, host);
        return last;
    }

    /** The last id the sequence gave out (or was set to): one before last_value while that is still to be given. */
    private long lastGiven() {
        return SqlValues.toLong(em.createNativeQuery("select last_value - case when is_called then 0 else 1 end from " + SEQUENCE)
                .getSingleResult());
    }
}
