package io.corral.agent.server;

/** A request to create a virtual server; limits left out take their defaults. */
public record CreateRequest(String id, String hostname, String template, LimitsChange limits) {
}
