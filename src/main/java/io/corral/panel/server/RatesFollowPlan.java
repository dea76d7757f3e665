package io.corral.panel.server;

import io.corral.panel.plan.RatesChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.util.List;

/**
 * A plan's bandwidth and disk IO reach its servers that are not being destroyed: each gets a limits
 * operation, which sends the agent all of its limits with the plan's rates as they are when it runs, so
 * running servers change at once and stopped ones keep them for their next boot. Its own limits are
 * unchanged: the operation sends those the agent is to have at that point of the server's queue.
 */
@ApplicationScoped
public class RatesFollowPlan {
    @Inject
    Operations operations;

    /** In the transaction that changed the plan or the tenant (an operation is enqueued in one only). */
    void follow(@Observes RatesChanged changed) {
        // each server's row locked, in id order, as every other request queueing an operation locks it: so a server's
        // operations are numbered in the order they commit, which is the order the worker runs them in
        List<VirtualServer> affected = changed.tenantId() == null
                ? VirtualServer.<VirtualServer>find("tenant.plan.id = ?1 and desiredState <> ?2 order by id", changed.planId(),
                        VirtualServer.Desired.destroyed).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                : VirtualServer.<VirtualServer>find("tenant.id = ?1 and desiredState <> ?2 order by id", changed.tenantId(),
                        VirtualServer.Desired.destroyed).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        for (VirtualServer v : affected) {
            operations.enqueueRates(v);
        }
    }
}
