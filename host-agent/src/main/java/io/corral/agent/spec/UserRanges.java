package io.corral.agent.spec;

import io.corral.agent.StateDir;
import io.corral.agent.containment.UserRange;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands new servers their user ranges: the lowest range no other server's spec holds, one create at a
 * time, so two never take the same range. That is a file lock, as the command line and a serving agent
 * may create at once, taken by one thread of this process at a time (the JVM refuses a second lock of
 * one file).
 */
public final class UserRanges {
    private static final Object RANGES = new Object();
    private final StateDir state;
    private final SpecStore specs;

    public UserRanges(StateDir state, SpecStore specs) {
        this.state = state;
        this.specs = specs;
    }

    /** Saves a new server's spec with the lowest free range; returns the spec as saved. */
    public ServerSpec saveWithFreeRange(ServerSpec spec) throws IOException {
        Files.createDirectories(state.locks());
        synchronized (RANGES) {
            try (FileChannel ranges = FileChannel.open(state.locks().resolve("user-ranges"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = ranges.lock()) {
                Set<Integer> taken = new HashSet<>();
                for (String other : specs.ids()) {
                    specs.find(other).map(ServerSpec::users).ifPresent(r -> taken.add(r.index()));
                }
                int free = 0;
                while (taken.contains(free)) {
                    free++;
                }
                ServerSpec withRange = new ServerSpec(spec.id(), spec.hostname(), spec.template(), spec.limits(),
                        spec.desired(), UserRange.number(free), spec.network(), spec.firewall(), spec.forwards(), spec.credentials(),
                        spec.lastLimitsOperation());
                specs.save(withRange);
                return withRange;
            }
        }
    }
}
