package io.corral.agent.lifecycle;

import io.corral.agent.spec.LimitsChange;

/** A request to create a virtual server; limits left out take their defaults. */
public record CreateRequest(String id, String hostname, String template, LimitsChange limits) {
}
