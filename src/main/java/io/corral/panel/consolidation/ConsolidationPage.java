package io.corral.panel.consolidation;

import io.corral.panel.common.Refusals;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * What the consolidation page shows, made in the background ({@link InBackground}): the fleet's statistics, and the
 * plan, which at 5,000 hosts takes many times longer. A headroom out of range is refused before anything is made.
 */
@ApplicationScoped
public class ConsolidationPage {
    @Inject
    ConsolidationService consolidation;
    @Inject
    ConsolidationPlans plans;
    @Inject
    ConsolidationConfig config;
    private InBackground<Settings, FleetStatistics> statistics;
    private InBackground<Settings, ConsolidationPlan> planned;

    private record Settings(Window window, double headroom) {
    }

    @PostConstruct
    void start() {
        statistics = new InBackground<>("consolidation statistics", Refusals::consolidation_statistics, config.pageShownFor());
        planned = new InBackground<>("consolidation plans", Refusals::consolidation_plans, config.pageShownFor());
    }

    @PreDestroy
    void stop() {
        statistics.stop();
        planned.stop();
    }

    /** The statistics and the plan for one view of the page, which waits for both together, corral.consolidation.page-waits. */
    public View view(Window window, Double headroomOrNull) {
        double headroom = ConsolidationPlans.headroom(headroomOrNull, config);
        Settings settings = new Settings(window, headroom);
        Instant waitUntil = Instant.now().plus(config.pageWaits());
        Shown<FleetStatistics> fleet = statistics.get(settings, begun -> consolidation.statistics(window, headroom, null), waitUntil);
        return new View(headroom, fleet, planned.get(settings, begun -> plans.plan(window, headroom, begun), waitUntil));
    }

    /** headroom: the one asked for, or the configured one. */
    public record View(double headroom, Shown<FleetStatistics> statistics, Shown<ConsolidationPlan> plan) {
    }
}
