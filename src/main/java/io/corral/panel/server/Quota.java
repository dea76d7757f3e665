package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.plan.Plan;
import java.math.BigDecimal;
import java.util.List;

/**
 * A tenant's plan against what it holds and what it asks for. Called with the tenant row locked,
 * so two requests can never both fit into the same last bit of quota. Every limit a server has is
 * bounded per server and in all; each refusal says which quota and by how much.
 */
final class Quota {
    private Quota() {
    }

    /** One limit: the plan's bounds on it, what the tenant holds, what one server would have and how much more that is. */
    private record Bound(String field, String unit, BigDecimal perServer, BigDecimal inAll, BigDecimal held, BigDecimal server,
                         BigDecimal more) {
    }

    /**
     * Checks one server's limits; change is what the tenant would hold in addition (all of it for a new
     * server). Only what grows is checked: a limit lowered, or left as it is, never took anything.
     */
    static void check(Plan plan, Allocation held, Limits server, Limits change, boolean newServer) {
        List<Bound> bounds = bounds(plan, held, server, change);
        for (Bound b : bounds) {
            if (b.more().signum() > 0 && b.server().compareTo(b.perServer()) > 0) {
                throw quota(b.field(), "plan '" + plan.name + "' allows " + plain(b.perServer()) + " " + b.unit() + " per server; asked for "
                        + plain(b.server()));
            }
        }
        if (newServer && held.servers() + 1 > plan.maxServers) {
            throw quota("servers", "plan '" + plan.name + "' allows " + plan.maxServers + " servers and the tenant has "
                    + held.servers() + "; one more would be 1 over");
        }
        for (Bound b : bounds) {
            BigDecimal total = b.held().add(b.more());
            if (b.more().signum() > 0 && total.compareTo(b.inAll()) > 0) {
                throw quota(b.field(), "plan '" + plan.name + "' allows " + plain(b.inAll()) + " " + b.unit() + " in all; "
                        + plain(b.held()) + " are in use, so " + plain(b.more()) + " more would be " + plain(total.subtract(b.inAll())) + " over");
            }
        }
    }

    private static List<Bound> bounds(Plan plan, Allocation held, Limits server, Limits change) {
        Limits perServer = plan.perServer();
        Allocation inAll = plan.allowedInAll();
        return List.of(
                bound("limits.memoryMiB", "MiB of memory", perServer.memoryMiB(), inAll.memoryMiB(), held.memoryMiB(), server.memoryMiB(),
                        change.memoryMiB()),
                bound("limits.swapMiB", "MiB of swap", perServer.swapMiB(), inAll.swapMiB(), held.swapMiB(), server.swapMiB(), change.swapMiB()),
                new Bound("limits.cpus", "CPUs", perServer.cpus(), inAll.cpus(), held.cpus(), server.cpus(), change.cpus()),
                bound("limits.cpuWeight", "CPU weight", perServer.cpuWeight(), inAll.cpuWeight(), held.cpuWeight(), server.cpuWeight(),
                        change.cpuWeight()),
                bound("limits.pids", "processes", perServer.pids(), inAll.pids(), held.pids(), server.pids(), change.pids()),
                bound("limits.diskMiB", "MiB of disk", perServer.diskMiB(), inAll.diskMiB(), held.diskMiB(), server.diskMiB(), change.diskMiB()));
    }

    private static Bound bound(String field, String unit, long perServer, long inAll, long held, long server, long more) {
        return new Bound(field, unit, BigDecimal.valueOf(perServer), BigDecimal.valueOf(inAll), BigDecimal.valueOf(held),
                BigDecimal.valueOf(server), BigDecimal.valueOf(more));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static DomainException quota(String field, String message) {
        return new DomainException(DomainException.Kind.QUOTA, field, field + ": " + message);
    }
}
