package io.corral.agent.network;

/** How fast a server's traffic may flow, in megabits per second into it and out of it; 0 is no limit. */
public record Bandwidth(long inMbit, long outMbit) {
    public static final Bandwidth NONE = new Bandwidth(0, 0);
}
