package io.corral.panel.heartbeat;

import io.corral.panel.agent.ServerState;
import io.corral.panel.common.SqlValues;
import io.corral.panel.host.StrayCopies;
import io.corral.panel.server.VirtualServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Most beats change nothing: the host was not down and its servers are as its agent reports them. Those of the hosts a
 * panel's heartbeat threads have heard meanwhile are written together, in one transaction of two statements (the hosts
 * marked heard and their servers read; their stray copies read), where a transaction a host was most of the database's
 * time at 5,000 hosts a beat every 10 s (bench/RESULTS.md, "Scale"). A thread that finds no batch being written writes
 * every beat waiting, its own among them; the others wait for that, then their own is written or next in line. So a beat
 * waits for at most the batch before its own, and a panel with one host to hear writes it at once.
 */
@ApplicationScoped
public class UnchangedBeats {
    @Inject
    EntityManager em;
    @Inject
    StrayCopies strays;
    private final LinkedBlockingQueue<Beat> waiting = new LinkedBlockingQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    /** A host's answer, and what its batch found: its stray copies if nothing was to change, else empty. */
    private record Beat(long hostId, Map<String, ServerState> reported, CompletableFuture<Optional<List<Long>>> done) {
    }

    /**
     * Marks the host heard if its beat changes nothing, and returns the servers whose copies on it are to be removed now
     * ({@link StrayCopies#on}). Empty when the answer changes something (the host was down, or a server is not as
     * reported): the caller takes it whole.
     */
    public Optional<List<Long>> heard(long hostId, Map<String, ServerState> reported) {
        Beat beat = new Beat(hostId, reported, new CompletableFuture<>());
        waiting.add(beat);
        writing.lock();
        try {
            if (!beat.done().isDone()) {
                List<Beat> batch = new ArrayList<>();
                waiting.drainTo(batch);
                write(batch);
            }
        } finally {
            writing.unlock();
        }
        return beat.done().join();
    }

    /** Completes every beat of the batch, whatever is thrown: a beat left waiting would hold its thread and its host for good. */
    private void write(List<Beat> batch) {
        try {
            Map<Long, List<Long>> strays = QuarkusTransaction.requiringNew().call(() -> unchanged(batch));
            batch.forEach(b -> b.done().complete(Optional.ofNullable(strays.get(b.hostId()))));
        } catch (Throwable e) {
            batch.forEach(b -> b.done().completeExceptionally(e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /**
     * The batch's hosts that were not down are marked heard; of those, the ones whose servers are all as reported get their
     * stray copies (an empty list for none), read in the same transaction. Hosts are locked in the order of their ids, and
     * one locked now (being placed on, its usage being taken) is passed over, not waited for: its beat is taken whole, and the other hosts' beats do not wait behind it. A host twice in the batch (two
     * claims overlapping) is taken whole both times, so that no answer stands for another.
     */
    private Map<Long, List<Long>> unchanged(List<Beat> batch) {
        Map<Long, Beat> byHost = new HashMap<>();
        Set<Long> twice = new HashSet<>();
        batch.forEach(b -> {
            if (byHost.put(b.hostId(), b) != null) {
                twice.add(b.hostId());
            }
        });
        twice.forEach(byHost::remove);
        if (byHost.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                with locked as (select id from host where id = any(cast(?1 as bigint[])) and status <> 'down'
                                order by id for no key update skip locked),
                     heard as (update host h set last_heartbeat = ?2, heartbeat_error = null from locked where h.id = locked.id
                               returning h.id)
                select heard.id, v.id, v.observed_state, v.own_user_namespace from heard
                left join virtual_server v on v.host_id = heard.id and v.desired_state <> 'destroyed' and v.observed_state <> 'creating'""",
                Object[].class).setParameter(1, SqlValues.bigintArray(byHost.keySet())).setParameter(2, OffsetDateTime.now()).getResultList();
        Set<Long> unchanged = new HashSet<>(), changed = new HashSet<>();
        for (Object[] r : rows) {
            long hostId = SqlValues.toLong(r[0]);
            unchanged.add(hostId);
            if (r[1] != null && !asReported(byHost.get(hostId).reported().get(r[1].toString()), (String) r[2], (Boolean) r[3])) {
                changed.add(hostId);
            }
        }
        unchanged.removeAll(changed);
        return unchanged.isEmpty() ? Map.of() : strays.on(unchanged);
    }

    /** Whether a server the panel keeps as observed, with or without a user namespace of its own, is as its agent reports it. */
    private static boolean asReported(ServerState reported, String observed, Boolean ownUserNamespace) {
        String now = (reported == null ? VirtualServer.Observed.unknown : VirtualServer.Observed.reported(reported.state())).name();
        return now.equals(observed) && (reported == null || Boolean.valueOf(reported.ownUserNamespace()).equals(ownUserNamespace));
    }
}
