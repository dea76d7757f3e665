package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.plan.Plan;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;

/**
 * A tenant's plan against what it holds and what it asks for. Called with the tenant row locked,
 * so two requests can never both fit into the same last bit of quota. Every limit a server has is
 * bounded per server and in all; each refusal says which quota and by how much.
 */
final class Quota {
    private Quota() {
    }

    /** One limit: the plan's bounds on it, what the tenant holds, what one server would have and how much more that is. */
    private record Bound(String field, Function<Refusals, String> unit, BigDecimal perServer, BigDecimal inAll, BigDecimal held,
                         BigDecimal server, BigDecimal more) {
    }

    /**
     * Checks one server's limits; change is what the tenant would hold in addition (all of it for a new
     * server). Only what grows is checked: a limit lowered, or left as it is, never took anything.
     */
    static void check(Plan plan, Allocation held, Limits server, Limits change, boolean newServer) {
        List<Bound> bounds = bounds(plan, held, server, change);
        String name = plan.name;
        for (Bound b : bounds) {
            if (b.more().signum() > 0 && b.server().compareTo(b.perServer()) > 0) {
                throw quota(b.field(), r -> r.quota_per_server(b.field(), name, plain(b.perServer()), b.unit().apply(r), plain(b.server())));
            }
        }
        if (newServer && held.servers() + 1 > plan.maxServers) {
            throw quota("servers", r -> r.quota_servers(name, plan.maxServers, held.servers()));
        }
        for (Bound b : bounds) {
            BigDecimal total = b.held().add(b.more());
            if (b.more().signum() > 0 && total.compareTo(b.inAll()) > 0) {
                throw quota(b.field(), r -> r.quota_in_all(b.field(), name, plain(b.inAll()), b.unit().apply(r), plain(b.held()),
                        plain(b.more()), plain(total.subtract(b.inAll()))));
            }
        }
    }

    private static List<Bound> bounds(Plan plan, Allocation held, Limits server, Limits change) {
        Limits perServer = plan.perServer();
        Allocation inAll = plan.allowedInAll();
        return List.of(
                bound("limits.memoryMiB", Refusals::quota_memory, perServer.memoryMiB(), inAll.memoryMiB(), held.memoryMiB(), server.memoryMiB(),
                        change.memoryMiB()),
                bound("limits.swapMiB", Refusals::quota_swap, perServer.swapMiB(), inAll.swapMiB(), held.swapMiB(), server.swapMiB(),
                        change.swapMiB()),
                new Bound("limits.cpus", Refusals::quota_cpus, perServer.cpus(), inAll.cpus(), held.cpus(), server.cpus(), change.cpus()),
                bound("limits.cpuWeight", Refusals::quota_cpu_weight, perServer.cpuWeight(), inAll.cpuWeight(), held.cpuWeight(), server.cpuWeight(),
                        change.cpuWeight()),
                bound("limits.pids", Refusals::quota_pids, perServer.pids(), inAll.pids(), held.pids(), server.pids(), change.pids()),
                bound("limits.diskMiB", Refusals::quota_disk, perServer.diskMiB(), inAll.diskMiB(), held.diskMiB(), server.diskMiB(),
                        change.diskMiB()));
    }

    private static Bound bound(String field, Function<Refusals, String> unit, long perServer, long inAll, long held, long server, long more) {
        return new Bound(field, unit, BigDecimal.valueOf(perServer), BigDecimal.valueOf(inAll), BigDecimal.valueOf(held),
                BigDecimal.valueOf(server), BigDecimal.valueOf(more));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static DomainException quota(String field, Function<Refusals, String> words) {
        return new DomainException(DomainException.Kind.QUOTA, field, words);
    }
}
