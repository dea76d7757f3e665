package io.corral.panel.consolidation;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
        statistics = new InBackground<>("consolidation statistics", config.pageWaits(), config.pageShownFor());
        planned = new InBackground<>("consolidation plans", config.pageWaits(), config.pageShownFor());
    }

    @PreDestroy
    void stop() {
        statistics.stop();
        planned.stop();
    }

    /** The headroom asked for, or the configured one; refused out of range. */
    public double headroom(Double headroomOrNull) {
        return ConsolidationPlans.headroom(headroomOrNull, config);
    }

    public Shown<FleetStatistics> statistics(Window window, Double headroomOrNull) {
        double headroom = ConsolidationPlans.headroom(headroomOrNull, config);
        return statistics.get(new Settings(window, headroom), () -> consolidation.statistics(window, headroom, null));
    }

    public Shown<ConsolidationPlan> plan(Window window, Double headroomOrNull) {
        double headroom = ConsolidationPlans.headroom(headroomOrNull, config);
        return planned.get(new Settings(window, headroom), () -> plans.plan(window, headroom));
    }
}
