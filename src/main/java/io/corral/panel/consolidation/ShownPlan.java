package io.corral.panel.consolidation;

import java.time.Instant;
import java.util.List;

/**
 * The plan the consolidation page shows: plan made from the fleet as it was at since; or, while beingMade, the one
 * before it (from since) or none (a plan being made since then). At thousands of hosts a plan has tens of thousands of
 * moves: the page shows the first of them and of the hosts they change, and the API gives them all.
 */
public record ShownPlan(ConsolidationPlan plan, Instant since, boolean beingMade) {
    /** How many of a plan's moves, emptied hosts and changed hosts the page lists. */
    public static final int LISTED = 100;

    /** How long ago since was, as the page says it: "just now", "40 s ago", "3 min ago". */
    public String age() {
        long seconds = java.time.Duration.between(since, Instant.now()).toSeconds();
        return seconds < 1 ? "just now" : seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
    }

    public List<ConsolidationPlan.PlannedMove> firstMoves() {
        return plan.moves().subList(0, Math.min(LISTED, plan.moves().size()));
    }

    public List<String> firstEmptied() {
        return plan.emptiedHosts().subList(0, Math.min(LISTED, plan.emptiedHosts().size()));
    }

    /** The hosts the plan empties or moves servers onto, the first of them. */
    public List<ConsolidationPlan.HostLoad> firstChanged() {
        return plan.perHost().stream().filter(h -> h.serversBefore() != h.serversAfter()).limit(LISTED).toList();
    }

    public long changed() {
        return plan.perHost().stream().filter(h -> h.serversBefore() != h.serversAfter()).count();
    }
}
