package io.corral.panel.host;

/**
 * What a host agent takes for the limits that have fixed bounds (host-agent/README.md, "Limits and their
 * rules"), so that neither a request nor a plan can ever ask an agent for more.
 */
public final class LimitRules {
    public static final long MAX_SWAP_MIB = 1024 * 1024;
    public static final int MIN_PIDS = 8, MAX_PIDS = 4194304;
    public static final int MAX_CPU_WEIGHT = 10000;

    private LimitRules() {
    }
}
