package io.corral.panel.plan;

/**
 * Fired in the transaction that changes what a plan's servers may move (its rates), or moves a tenant to a
 * plan with other rates: the servers of the plan (tenantId null), or of that tenant, are to get them.
 */
public record RatesChanged(long planId, Long tenantId) {
}
