package io.corral.panel.server;

import io.corral.panel.plan.RatesChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A plan's bandwidth and disk IO reach its servers that are not being destroyed: each gets a limits
 * operation, which sends the agent all of its limits with the plan's rates as they are when it runs, so
 * running servers change at once and stopped ones keep them for their next boot. Its own limits are
 * unchanged: the operation sends those the agent is to have at that point, and locks nothing (a plan of thousands of
 * servers would otherwise hold each one's row, against the worker and the heartbeats).
 */
@ApplicationScoped
public class RatesFollowPlan {
    @Inject
    Operations operations;

    /** In the transaction that changed the plan or the tenant (an operation is enqueued in one only). */
    void follow(@Observes RatesChanged changed) {
        List<VirtualServer> affected = changed.tenantId() == null
                ? VirtualServer.list("tenant.plan.id = ?1 and desiredState <> ?2", changed.planId(), VirtualServer.Desired.destroyed)
                : VirtualServer.list("tenant.id = ?1 and desiredState <> ?2", changed.tenantId(), VirtualServer.Desired.destroyed);
        for (VirtualServer v : affected) {
            operations.enqueueRates(v);
        }
    }
}
