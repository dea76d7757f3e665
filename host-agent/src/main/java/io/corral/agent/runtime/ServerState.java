package io.corral.agent.runtime;

/** The observed state of a virtual server, derived from the live system. */
public enum ServerState { stopped, running }
