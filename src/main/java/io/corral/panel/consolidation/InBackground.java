package io.corral.panel.consolidation;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Results a page shows that take longer to make than a page may (at 5,000 hosts and 100,000 servers, seconds:
 * bench/RESULTS.md, "Scale"): made in the background, each in a transaction of its own. The page waits a moment
 * for its result, and otherwise shows the last one made for the same settings, or none yet, and reloads. It waits only
 * for a result that may come in that moment: not for one the last made would say comes later. A result is shown again
 * for a while rather than made for every view. One thread makes them, and a few settings are kept: admins asking for
 * many settings at once are told to wait rather than make the panel spend more.
 */
final class InBackground<K, V> {
    private static final Logger LOG = Logger.getLogger(InBackground.class);
    /** The settings whose results are kept (a plan of 100,000 servers is about 10 MB), and as many may wait to be made. */
    static final int KEPT = 4;
    /** A transaction's time to make one (a read; the default 60 s is less than a plan of a larger fleet may take). */
    private static final int MAKING_SECONDS = 600;
    private final String what;
    private final Function<Refusals, String> named;
    private final Duration shownFor;
    private final ThreadPoolExecutor maker;
    /** How long the last result took to make, from when its own work began (null: none made yet, or the last making failed). */
    private volatile Duration lastTook;
    private final Map<K, Making<V>> making = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, Making<V>> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * A result asked for at started, and the last one made before it for the same settings (null if none); begun and made:
     * when its making started (its own work, once its turn came) and ended (null before).
     */
    private static final class Making<V> {
        final Instant started;
        final Shown<V> previous;
        CompletableFuture<V> result;
        volatile Instant begun, made;

        Making(Instant started, Shown<V> previous) {
            this.started = started;
            this.previous = previous;
        }
    }

    /** what: what is made, for the thread's name and the logs ("consolidation plans"); named: the same in a refusal's words. */
    InBackground(String what, Function<Refusals, String> named, Duration shownFor) {
        this.what = what;
        this.named = named;
        this.shownFor = shownFor;
        maker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(KEPT), r -> {
            Thread t = new Thread(r, what.replace(' ', '-'));
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The result for these settings: made by the time given (a page's) or a while before, or the one before it, or none yet.
     * make is given what it calls when its own work begins, after any wait for its turn (a plan's behind others): the time
     * a result takes to make is counted from then.
     */
    Shown<V> get(K settings, Function<Runnable, V> make, Instant waitUntil) {
        Making<V> m = making(settings, make);
        try {
            long millis = mayComeBy(m, waitUntil) ? Math.max(0, Duration.between(Instant.now(), waitUntil).toMillis()) : 0;
            return new Shown<>(m.result.get(millis, TimeUnit.MILLISECONDS), m.started, false);
        } catch (TimeoutException e) {
            return m.previous != null ? new Shown<>(m.previous.value(), m.previous.since(), true) : new Shown<>(null, m.started, true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DomainException d) {
                throw d;
            }
            throw new IllegalStateException(what + " could not be made (" + e.getCause().getMessage()
                    + "); reloading the page makes them again", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /**
     * Whether the result may be made by then, as long as the last took: from its start, or if it waits behind others, from
     * now after theirs. At 5,000 hosts a page otherwise waited its whole wait for a plan that would take seconds more.
     */
    private boolean mayComeBy(Making<V> m, Instant by) {
        Duration took = lastTook;
        if (took == null || m.result.isDone()) {
            return true;
        }
        Instant begun = m.begun;
        // waiting: after the one being made and those queued (this one among them)
        Instant expected = begun != null ? begun.plus(took)
                : Instant.now().plus(took.multipliedBy(Math.max(1, maker.getActiveCount() + maker.getQueue().size())));
        return !expected.isAfter(by);
    }

    private synchronized Making<V> making(K settings, Function<Runnable, V> make) {
        Making<V> m = making.get(settings);
        Instant now = Instant.now();
        boolean made = m != null && m.result.isDone() && !m.result.isCompletedExceptionally();
        // shown for a while from when it was made: one that took longer than that was otherwise made again at once
        if (m != null && (!m.result.isDone() || made && m.made.plus(shownFor).isAfter(now))) {
            return m;
        }
        try {
            Making<V> next = new Making<>(now, made ? new Shown<>(m.result.join(), m.started, false) : m == null ? null : m.previous);
            next.result = CompletableFuture.supplyAsync(() -> {
                next.begun = Instant.now();
                V result;
                try {
                    result = QuarkusTransaction.requiringNew().timeout(MAKING_SECONDS).call(() -> make.apply(() -> next.begun = Instant.now()));
                } catch (RuntimeException e) {
                    // the next is waited for, so that a page shows why one failed rather than that one is being made
                    lastTook = null;
                    throw e;
                }
                next.made = Instant.now();
                lastTook = Duration.between(next.begun, next.made);
                // what a page waits for, and what its admins are told takes seconds: the log says how many
                LOG.infof("%s for %s made in %d ms, %d ms after they were asked for", what, settings,
                        lastTook.toMillis(), Duration.between(now, next.made).toMillis());
                return result;
            }, maker);
            making.put(settings, next);
            return next;
        } catch (RejectedExecutionException e) {
            throw DomainException.conflict(r -> r.consolidation_busy(named.apply(r), KEPT));
        }
    }

    void stop() {
        maker.shutdownNow();
    }
}
