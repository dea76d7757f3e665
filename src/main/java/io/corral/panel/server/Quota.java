package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.plan.Plan;
import java.math.BigDecimal;

/**
 * A tenant's plan against what it holds and what it asks for. Called with the tenant row locked,
 * so two requests can never both fit into the same last bit of quota. Each refusal says which quota
 * and by how much.
 */
final class Quota {
    private Quota() {
    }

    /** Checks one server's limits; change is what the tenant would hold in addition (all of it for a new server). */
    static void check(Plan plan, Allocation held, Limits server, Limits change, boolean newServer) {
        perServer("limits.memoryMiB", server.memoryMiB(), plan.serverMaxMemoryMib, "MiB of memory", plan);
        perServer("limits.diskMiB", server.diskMiB(), plan.serverMaxDiskMib, "MiB of disk", plan);
        if (server.cpus().compareTo(plan.serverMaxCpus) > 0) {
            throw quota("limits.cpus", "plan '" + plan.name + "' allows " + plan.serverMaxCpus.stripTrailingZeros().toPlainString()
                    + " CPUs per server; asked for " + server.cpus().stripTrailingZeros().toPlainString());
        }
        if (newServer && held.servers() + 1 > plan.maxServers) {
            throw quota("servers", "plan '" + plan.name + "' allows " + plan.maxServers + " servers and the tenant has "
                    + held.servers() + "; one more would be 1 over");
        }
        total("limits.memoryMiB", held.memoryMiB(), change.memoryMiB(), plan.maxMemoryMib, "MiB of memory", plan);
        total("limits.diskMiB", held.diskMiB(), change.diskMiB(), plan.maxDiskMib, "MiB of disk", plan);
        BigDecimal cpus = held.cpus().add(change.cpus());
        if (change.cpus().signum() > 0 && cpus.compareTo(plan.maxCpus) > 0) {
            throw quota("limits.cpus", "plan '" + plan.name + "' allows " + plain(plan.maxCpus) + " CPUs in all; "
                    + plain(held.cpus()) + " are in use, so " + plain(change.cpus()) + " more would be "
                    + plain(cpus.subtract(plan.maxCpus)) + " over");
        }
    }

    private static void perServer(String field, long asked, long max, String unit, Plan plan) {
        if (asked > max) {
            throw quota(field, "plan '" + plan.name + "' allows " + max + " " + unit + " per server; asked for " + asked);
        }
    }

    private static void total(String field, long held, long more, long max, String unit, Plan plan) {
        if (more > 0 && held + more > max) {
            throw quota(field, "plan '" + plan.name + "' allows " + max + " " + unit + " in all; " + held
                    + " are in use, so " + more + " more would be " + (held + more - max) + " over");
        }
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static DomainException quota(String field, String message) {
        return new DomainException(DomainException.Kind.QUOTA, field, field + ": " + message);
    }
}
