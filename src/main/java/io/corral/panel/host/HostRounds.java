package io.corral.panel.host;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Rounds over every host that each panel runs on a schedule (heartbeats, usage ingestion), shared between the panels on
 * one database: a host is claimed for most of an interval by the panel that comes for it first, so it is asked once an
 * interval, not once per panel (unless a round outlasts its claim), and a panel that dies leaves its hosts to another
 * at the next interval. A panel claims a few hosts at a time, those waiting longest first, as it has threads free for
 * them; two panels claiming at once skip each other's locked claims, so they share the hosts between them.
 */
@ApplicationScoped
public class HostRounds {
    private static final Logger LOG = Logger.getLogger(HostRounds.class);
    /** The share of an interval a claim lasts: ends before the same panel's next round, whose timer may fire a little early. */
    private static final double CLAIM_SHARE = 0.8;
    @Inject
    EntityManager em;
    @Inject
    HostRoundsConfig config;
    private ExecutorService threads;

    public enum Round { heartbeat, usage }

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newFixedThreadPool(config.parallel(), r -> {
            Thread t = new Thread(r, "host-round-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }

    /**
     * Does work for every host of the round that this panel claims now, up to corral.rounds.parallel hosts at once, each in
     * a request context of its own; returns when no host is left unclaimed and the work on the claimed ones is done. every:
     * the round's schedule (as its @Scheduled reads it). A host's failure is logged and stops nothing else.
     */
    public void run(Round round, String every, Consumer<Host> work) {
        long claimMillis = (long) (DurationConverter.parseDuration(every).toMillis() * CLAIM_SHARE);
        int parallel = config.parallel();
        Semaphore free = new Semaphore(parallel);
        QuarkusTransaction.requiringNew().run(() -> addNewHosts(round));
        try {
            List<Host> hosts;
            while (!(hosts = claim(round, claimMillis, parallel)).isEmpty()) {
                for (Host host : hosts) {
                    free.acquire();
                    try {
                        threads.execute(() -> {
                            try {
                                inRequestContext(work, host);
                            } finally {
                                free.release();
                            }
                        });
                    } catch (RejectedExecutionException e) { // the panel is stopping
                        free.release();
                        return;
                    }
                }
            }
            free.acquire(parallel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void inRequestContext(Consumer<Host> work, Host host) {
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        try {
            work.accept(host);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s failed", host);
        } finally {
            request.terminate();
        }
    }

    /** A claim row for each host that has none yet in this round, claimable at once. */
    private void addNewHosts(Round round) {
        em.createNativeQuery("""
                insert into host_round (host_id, round, claimed_until)
                select id, :round, '-infinity' from host h
                where not exists (select 1 from host_round r where r.host_id = h.id and r.round = :round)
                on conflict do nothing""").setParameter("round", round.name()).executeUpdate();
    }

    /** Up to most hosts whose claims have run out, the longest waiting first, claimed for claimMillis. */
    List<Host> claim(Round round, long claimMillis, int most) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids = em.createNativeQuery("""
                    update host_round set claimed_until = now() + make_interval(secs => :seconds)
                    where (host_id, round) in (
                        select host_id, round from host_round where round = :round and claimed_until <= now()
                        order by claimed_until, host_id limit :most for update skip locked)
                    returning host_id""").setParameter("round", round.name()).setParameter("seconds", claimMillis / 1000.0)
                    .setParameter("most", most).getResultList();
            return ids.isEmpty() ? List.<Host>of() : Host.<Host>list("id in ?1 order by id", ids.stream().map(Number::longValue).toList());
        });
    }
}
