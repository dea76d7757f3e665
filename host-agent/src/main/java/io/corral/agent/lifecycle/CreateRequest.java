package io.corral.agent.lifecycle;

import io.corral.agent.spec.LimitsChange;

/**
 * A request to create a virtual server; limits left out take their defaults. With {@code start} the
 * server is booted too, in the same call: a boot that fails leaves it created and stopped, and the
 * answer is the boot's error.
 */
public record CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start) {
}
