package io.corral.panel.ui;

import io.corral.panel.consolidation.ConsolidationPlan;
import io.quarkus.qute.TemplateExtension;
import java.util.List;

/**
 * Long lists as the pages show them: at thousands of hosts a consolidation plan has tens of thousands of moves, so the
 * page shows the first of them, of the hosts emptied and of the hosts the moves change; the API gives them all.
 */
@TemplateExtension
final class Listing {
    private Listing() {
    }

    /** The first n of the list, or all of a shorter one (Qute's take(n) fails on a shorter list). */
    static <T> List<T> upTo(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }

    /** The hosts the plan empties or moves servers onto. */
    static List<ConsolidationPlan.HostLoad> changedHosts(ConsolidationPlan plan) {
        return plan.perHost().stream().filter(h -> h.serversBefore() != h.serversAfter()).toList();
    }
}
