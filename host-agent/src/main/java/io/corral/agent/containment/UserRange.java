package io.corral.agent.containment;

/**
 * The host user and group ids a server's own user namespace maps to: ids 0..count-1 inside are
 * first..first+count-1 on the host. Ranges are 65,536 ids (every id a Linux distribution uses,
 * nobody at 65534 included), one per server, laid end to end from {@link #FIRST}, far above the
 * host's own users and the ranges /etc/subuid usually hands out.
 */
public record UserRange(long first, long count) {
    public static final long FIRST = 1_000_000_000L, SIZE = 65_536;

    public static UserRange number(int index) {
        return new UserRange(FIRST + index * SIZE, SIZE);
    }

    /** Which range of the row this is. */
    public int index() {
        return (int) ((first - FIRST) / SIZE);
    }

    /** The line of /proc/<pid>/uid_map and gid_map. */
    String mapLine() {
        return "0 " + first + " " + count + "\n";
    }
}
