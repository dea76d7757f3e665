package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import java.math.BigDecimal;

/**
 * A server as its agent has it: its id (the panel's), its state (creating, stopped, running ...) and the
 * host ids its own user namespace maps to, absent for a server without one; incoming: it is the receiving end of a
 * move that has not committed (it cannot start; the agent removes it when it restarts); limits: what its agent holds it
 * to (null from an agent that does not say); limitsOperation: the last operation of a panel that changed them (null: none,
 * or an agent that does not say); limitsInDoubt: the server may hold others, some of each, as the last put on it failed
 * partway.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerState(String id, String state, UserRange users, boolean incoming, HeldLimits limits, Long limitsOperation,
                          boolean limitsInDoubt) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRange(long first, long count) {
    }

    /** The limits an agent holds a server to: its own and its plan's rates in one object, as the agent takes them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeldLimits(long memoryMiB, long swapMiB, BigDecimal cpus, int cpuWeight, int pids, long diskMiB,
                             long networkInMbit, long networkOutMbit, long diskMiBps, long diskIops) {
        /**
         * Whether these are the limits and rates given, the disk's size left out where withDisk is false (CPUs by value: 1
         * and 1.00 are the same); not when the agent left CPUs out, which a beat read with other hosts' must survive.
         */
        public boolean are(Limits limits, Rates rates, boolean withDisk) {
            return memoryMiB == limits.memoryMiB() && swapMiB == limits.swapMiB() && cpus != null && cpus.compareTo(limits.cpus()) == 0
                    && cpuWeight == limits.cpuWeight() && pids == limits.pids() && (!withDisk || diskMiB == limits.diskMiB())
                    && networkInMbit == rates.networkInMbit() && networkOutMbit == rates.networkOutMbit()
                    && diskMiBps == rates.diskMiBps() && diskIops == rates.diskIops();
        }
    }

    public boolean ownUserNamespace() {
        return users != null;
    }
}
