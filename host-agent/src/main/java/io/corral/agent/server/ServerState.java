package io.corral.agent.server;

/** The observed state of a virtual server, derived from the live system. */
public enum ServerState { stopped, running }
