package io.corral.panel.consolidation;

import io.corral.panel.common.DomainException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/**
 * The consolidation page's plans, made in the background: at 5,000 hosts and 100,000 servers a plan takes seconds
 * (bench/RESULTS.md), longer than a page may. The page waits for its plan a moment and otherwise shows the rest,
 * with the last plan made for the same window and headroom if there is one, and reloads. A plan is shown again for
 * a short while rather than made for every view. One thread makes plans, and a few settings are kept: admins asking
 * for many headrooms at once are told to wait rather than make the panel spend more.
 */
@ApplicationScoped
public class PlanMaker {
    /** The settings (window and headroom) whose plans are kept, and as many plans may wait to be made. */
    static final int KEPT = 8;
    @Inject
    ConsolidationPlans plans;
    @Inject
    ConsolidationConfig config;
    private final ThreadPoolExecutor maker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(KEPT), r -> {
        Thread t = new Thread(r, "consolidation-plans");
        t.setDaemon(true);
        return t;
    });
    private final Map<Key, Making> making = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Making> eldest) {
            return size() > KEPT;
        }
    };

    private record Key(Window window, double headroom) {
    }

    /** A plan asked for at started, and the one made before it for the same settings (null if none). */
    private record Making(Instant started, CompletableFuture<ConsolidationPlan> plan, ShownPlan previous) {
    }

    /**
     * The plan for the page: made within the page's wait or before (and then shown for a while), or the one before it
     * while a new one is being made, or none yet. A headroom out of range is refused here, before anything is made.
     */
    public ShownPlan forPage(Window window, Double headroomOrNull) {
        double headroom = ConsolidationPlans.headroom(headroomOrNull, config);
        Making m = making(new Key(window, headroom));
        try {
            return new ShownPlan(m.plan().get(config.pageWaitsForPlan().toMillis(), TimeUnit.MILLISECONDS), m.started(), false);
        } catch (TimeoutException e) {
            return m.previous() != null ? new ShownPlan(m.previous().plan(), m.previous().since(), true)
                    : new ShownPlan(null, m.started(), true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DomainException d) {
                throw d;
            }
            throw new IllegalStateException("the consolidation plan could not be made", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the consolidation plan", e);
        }
    }

    private synchronized Making making(Key key) {
        Making m = making.get(key);
        Instant now = Instant.now();
        boolean usable = m != null && (!m.plan().isDone()
                || !m.plan().isCompletedExceptionally() && m.started().plus(config.planShownFor()).isAfter(now));
        if (usable) {
            return m;
        }
        ShownPlan previous = m != null && m.plan().isDone() && !m.plan().isCompletedExceptionally()
                ? new ShownPlan(m.plan().join(), m.started(), false) : null;
        try {
            Making made = new Making(now, CompletableFuture.supplyAsync(
                    () -> QuarkusTransaction.requiringNew().call(() -> plans.plan(key.window(), key.headroom())), maker), previous);
            making.put(key, made);
            return made;
        } catch (RejectedExecutionException e) {
            throw DomainException.conflict("plans are being made for " + KEPT + " other windows and headrooms; try again in a minute");
        }
    }

    @PreDestroy
    void stop() {
        maker.shutdownNow();
    }
}
