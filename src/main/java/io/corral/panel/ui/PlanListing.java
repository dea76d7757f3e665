package io.corral.panel.ui;

import io.corral.panel.consolidation.ConsolidationPlan;
import io.quarkus.qute.TemplateExtension;
import java.util.List;

/**
 * The parts of a plan the consolidation page lists: at thousands of hosts a plan has tens of thousands of moves, so the
 * page shows the first of them, of the hosts emptied and of the hosts the moves change; the API gives them all.
 */
@TemplateExtension
final class PlanListing {
    static final int LISTED = 100;

    private PlanListing() {
    }

    static List<ConsolidationPlan.PlannedMove> firstMoves(ConsolidationPlan plan) {
        return plan.moves().subList(0, Math.min(LISTED, plan.moves().size()));
    }

    static List<String> firstEmptied(ConsolidationPlan plan) {
        return plan.emptiedHosts().subList(0, Math.min(LISTED, plan.emptiedHosts().size()));
    }

    /** The hosts the plan empties or moves servers onto, the first of them. */
    static List<ConsolidationPlan.HostLoad> firstChanged(ConsolidationPlan plan) {
        return plan.perHost().stream().filter(PlanListing::changes).limit(LISTED).toList();
    }

    static long changed(ConsolidationPlan plan) {
        return plan.perHost().stream().filter(PlanListing::changes).count();
    }

    private static boolean changes(ConsolidationPlan.HostLoad h) {
        return h.serversBefore() != h.serversAfter();
    }
}
