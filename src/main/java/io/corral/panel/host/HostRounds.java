package io.corral.panel.host;

import io.corral.panel.common.SqlValues;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Rounds over every host that each panel runs on a schedule (heartbeats, usage ingestion), shared between the panels on
 * one database: a host is claimed until 0.8 of an interval after the round began by the panel that comes for it first,
 * so it is asked once an interval, not once per panel, and a panel that dies leaves its hosts to another at the next
 * interval. A panel claims only as many hosts as it has threads free for (once a quarter of them are), those waiting longest first; two panels
 * claiming at once skip each other's locked claims, so they share the hosts. Each round has threads of its own, so a
 * long usage backlog never holds a heartbeat back, and a host still being asked (an agent slow to answer) is not asked
 * again by the same panel until it has answered.
 */
@ApplicationScoped
public class HostRounds {
    private static final Logger LOG = Logger.getLogger(HostRounds.class);
    /** The share of an interval a claim lasts: ends before the same panel's next round, whose timer may fire a little early. */
    private static final double CLAIM_SHARE = 0.8;
    /** How long a panel with a thread free waits for a quarter of its threads to be free before it claims. */
    private static final long GATHER_MILLIS = 100;
    @Inject
    EntityManager em;
    @Inject
    HostRoundsConfig config;
    private final Map<Round, Lane> lanes = new EnumMap<>(Round.class);

    public enum Round { heartbeat, usage }

    /** A round's threads, its free ones, and the hosts it is asking now. */
    private record Lane(ExecutorService threads, Semaphore free, Set<Long> asking) {
    }

    @PostConstruct
    void start() {
        for (Round round : Round.values()) {
            AtomicInteger n = new AtomicInteger();
            lanes.put(round, new Lane(Executors.newFixedThreadPool(config.parallel(), r -> {
                Thread t = new Thread(r, round + "-round-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }), new Semaphore(config.parallel()), ConcurrentHashMap.newKeySet()));
        }
    }

    @PreDestroy
    void stop() {
        lanes.values().forEach(lane -> lane.threads().shutdownNow());
    }

    /**
     * Does work for every host of the round that this panel claims now, up to corral.rounds.parallel hosts at once, each in
     * a request context of its own; returns when no host is left to claim and the work on those claimed is done, or when
     * the claims run out, whichever is first (work still going on goes on, and its host is not claimed again here until it
     * ends). every: the round's schedule (as its @Scheduled reads it). A host's failure is logged and stops nothing else.
     */
    public void run(Round round, String every, Consumer<Host> work) {
        long claimMillis = (long) (DurationConverter.parseDuration(every).toMillis() * CLAIM_SHARE);
        Lane lane = lanes.get(round);
        // hosts are claimed a few at a time where threads come free together, not each as one does: a claim per host was
        // a busy share of the database's statements at 5,000 hosts (bench/RESULTS.md, "Scale")
        int chunk = Math.max(1, config.parallel() / 4);
        OffsetDateTime until = QuarkusTransaction.requiringNew().call(() -> begin(round, claimMillis));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(claimMillis);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        try {
            while (lane.free().tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                int free = 1;
                List<Host> hosts;
                // threads taken are given back whatever befalls the claim: a claim failing once (the database away a moment)
                // kept them all, and the round never asked a host again until the panel restarted
                try {
                    // a moment for more threads to come free, not longer: agents slow to answer may hold the others for minutes
                    free += chunk > 1 && lane.free().tryAcquire(chunk - 1, GATHER_MILLIS, TimeUnit.MILLISECONDS) ? chunk - 1 : 0;
                    free += lane.free().drainPermits();
                    hosts = claim(round, until, free, lane.asking());
                } catch (InterruptedException | RuntimeException e) {
                    lane.free().release(free);
                    throw e;
                }
                lane.free().release(free - hosts.size());
                if (hosts.isEmpty()) {
                    break;
                }
                for (Host host : hosts) {
                    lane.asking().add(host.id);
                    try {
                        started.add(CompletableFuture.runAsync(() -> {
                            try {
                                inRequestContext(round, work, host);
                            } finally {
                                lane.asking().remove(host.id);
                                lane.free().release();
                            }
                        }, lane.threads()));
                    } catch (RejectedExecutionException e) { // the panel is stopping
                        lane.asking().remove(host.id);
                        lane.free().release();
                        return;
                    }
                }
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.debugf("the %s round's claims ran out with %d hosts still being asked", round, lane.asking().size());
        } catch (ExecutionException e) { // each host's work catches its own failures
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void inRequestContext(Round round, Consumer<Host> work, Host host) {
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        try {
            work.accept(host);
        } catch (RuntimeException e) {
            LOG.warnf(e, "the %s of host %s failed", round, host.name);
        } finally {
            request.terminate();
        }
    }

    /** Makes a claim row, claimable at once, for each host that has none yet in this round; returns when this round's claims end. */
    private OffsetDateTime begin(Round round, long claimMillis) {
        em.createNativeQuery("""
                insert into host_round (host_id, round, claimed_until)
                select id, :round, '-infinity' from host h
                where not exists (select 1 from host_round r where r.host_id = h.id and r.round = :round)
                on conflict do nothing""").setParameter("round", round.name()).executeUpdate();
        // the database's clock, which every panel's claims are compared with
        return (OffsetDateTime) em.createNativeQuery("select now() + make_interval(secs => :seconds)", OffsetDateTime.class)
                .setParameter("seconds", claimMillis / 1000.0).getSingleResult();
    }

    /** Up to most hosts whose claims have run out and that this panel is not asking already, the longest waiting first. */
    @SuppressWarnings("unchecked")
    List<Host> claim(Round round, OffsetDateTime until, int most, Set<Long> asking) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        with waiting as materialized (
                            select host_id from host_round where round = :round and claimed_until <= now()
                                and host_id <> all(cast(:asking as bigint[]))
                            order by claimed_until, host_id limit :most for update skip locked),
                        claimed as (
                            update host_round r set claimed_until = greatest(:until, now())
                            from waiting w where r.host_id = w.host_id and r.round = :round
                            returning r.host_id)
                        select h.* from host h join claimed c on c.host_id = h.id order by h.id""", Host.class)
                .setParameter("round", round.name()).setParameter("until", until)
                .setParameter("asking", SqlValues.bigintArray(asking))
                .setParameter("most", most).getResultList());
    }
}
