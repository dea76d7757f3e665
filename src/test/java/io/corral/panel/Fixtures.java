package io.corral.panel;

import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Rows the API tests stand on, written straight to the database. */
@ApplicationScoped
@Transactional
public class Fixtures {
    /** Every test starts from an empty database and no tenant users in Keycloak: the tests of one profile share both. */
    public void wipe() {
        TestKeycloak.get().reset();
        for (String table : new String[] {"billing_line", "billing_period", "usage_hour", "usage_meter", "host_rounds", "host_hour",
                "server_address", "host_network", "address_pool", "network", "firewall_rule", "server_firewall", "port_forward",
                "api_client", "server_ssh_key", "server_root_password",
                "snapshot", "backup", "backup_schedule", "backup_storage", "move_run_step", "move_run", "user_language"}) {
            Tenant.getEntityManager().createNativeQuery("delete from " + table).executeUpdate();
        }
        io.corral.panel.audit.AuditEvent.deleteAll();
        io.corral.panel.server.Operation.deleteAll();
        io.corral.panel.server.VirtualServer.deleteAll();
        Tenant.deleteAll();
        Host.deleteAll();
        Plan.deleteAll();
    }

    /**
     * A plan whose quotas per server are its quotas in all; swap as much as memory, 4096 processes and CPU weight 1000 per server;
     * its servers get no network (the tests of networks give theirs one).
     */
    public Plan plan(int servers, long memoryMiB, double cpus, long diskMiB) {
        Plan p = new Plan();
        p.name = "plan-" + UUID.randomUUID();
        p.maxServers = servers;
        p.maxMemoryMib = memoryMiB;
        p.maxSwapMib = memoryMiB;
        p.maxCpus = BigDecimal.valueOf(cpus);
        p.maxCpuWeight = servers * 1000L;
        p.maxPids = servers * 4096L;
        p.maxDiskMib = diskMiB;
        p.serverMaxMemoryMib = memoryMiB;
        p.serverMaxSwapMib = Math.min(memoryMiB, 1024 * 1024);
        p.serverMaxCpus = BigDecimal.valueOf(cpus);
        p.serverMaxCpuWeight = 1000;
        p.serverMaxPids = 4096;
        p.serverMaxDiskMib = diskMiB;
        p.priceServerMonth = BigDecimal.valueOf(5);
        p.priceMemoryGibMonth = BigDecimal.ONE;
        p.priceCpuMonth = BigDecimal.valueOf(2);
        p.priceDiskGibMonth = BigDecimal.valueOf(0.1);
        p.currency = "EUR";
        p.network = "none";
        p.createdAt = OffsetDateTime.now();
        p.persist();
        return p;
    }

    public Tenant tenant(String slug, Plan plan) {
        Tenant t = new Tenant();
        t.name = "Tenant " + slug;
        t.slug = slug;
        t.plan = Plan.findById(plan.id);
        t.status = Tenant.Status.active;
        t.createdAt = OffsetDateTime.now();
        t.persist();
        return t;
    }

    /** A tenant on a small plan whose customer is the test user member (in Keycloak too). */
    public Tenant tenantWith(String slug, String member) {
        Tenant t = tenant(slug, plan(2, 2048, 2, 20480));
        TestKeycloak.get().joinTenant(member, slug);
        return t;
    }

    /** A host row with the busybox template installed, whose agent is never called (the worker is off in these tests). */
    public Host host(String name, int cores, long memoryMiB, long diskMiB) {
        Host h = new Host();
        h.name = name;
        h.agentUrl = "https://127.0.0.1:9";
        h.secret = "unused-secret-0123456789";
        h.tlsFingerprint = "00:".repeat(31) + "00";
        h.status = Host.Status.up;
        h.cores = cores;
        h.memoryMib = memoryMiB;
        h.diskMib = diskMiB;
        h.memoryOvercommit = BigDecimal.ONE;
        h.cpuOvercommit = BigDecimal.valueOf(4);
        h.templateNames = "busybox";
        h.createdAt = OffsetDateTime.now();
        h.persist();
        return h;
    }

    /** A server row as if ordered earlier: small limits, on the given host. */
    public io.corral.panel.server.VirtualServer server(Tenant tenant, Host host, String hostname,
                                                       io.corral.panel.server.VirtualServer.Observed observed) {
        io.corral.panel.server.VirtualServer v = new io.corral.panel.server.VirtualServer();
        v.tenant = Tenant.findById(tenant.id);
        v.host = Host.findById(host.id);
        v.hostname = hostname;
        v.template = "busybox";
        v.memoryMib = 64;
        v.swapMib = 0;
        v.cpus = BigDecimal.ONE;
        v.cpuWeight = 100;
        v.pids = 64;
        v.diskMib = 64;
        v.desiredState = io.corral.panel.server.VirtualServer.Desired.running;
        v.observedState = observed;
        v.createdAt = OffsetDateTime.now();
        v.updatedAt = v.createdAt;
        v.persist();
        return v;
    }

    /**
     * A snapshot and a backup of the server with this id, ready as if its host had taken them, by ids of digits (the panel's
     * own are UUIDs; the tests' maps of objects hold numbers, and the agent's pattern takes both).
     */
    public void copies(long serverId, long snapshotId, long backupId) {
        io.corral.panel.server.VirtualServer v = io.corral.panel.server.VirtualServer.findById(serverId);
        io.corral.panel.snapshot.Snapshot s = new io.corral.panel.snapshot.Snapshot();
        s.id = Long.toString(snapshotId);
        s.server = v;
        s.tenant = v.tenant;
        s.status = io.corral.panel.snapshot.Snapshot.Status.ready;
        s.template = v.template;
        s.diskBytes = v.diskMib << 20;
        s.storedBytes = 1L << 20;
        s.createdAt = OffsetDateTime.now();
        s.takenAt = s.createdAt;
        s.persist();
        io.corral.panel.backup.Backup b = new io.corral.panel.backup.Backup();
        b.id = Long.toString(backupId);
        b.server = v;
        b.tenant = v.tenant;
        b.host = v.host;
        b.status = io.corral.panel.backup.Backup.Status.ready;
        b.template = v.template;
        b.diskBytes = v.diskMib << 20;
        b.storedBytes = 1L << 20;
        b.createdAt = s.createdAt;
        b.takenAt = s.createdAt;
        b.persist();
    }

    /** A row of the usage ledger of the server with this id, as if metered. */
    public void usageHour(long serverId, java.time.Instant hour, double cpuSeconds, double uptimeHours) {
        usageHour(io.corral.panel.server.VirtualServer.<io.corral.panel.server.VirtualServer>findById(serverId), hour, cpuSeconds, uptimeHours);
    }

    /** A row of the usage ledger, as if metered. */
    public void usageHour(io.corral.panel.server.VirtualServer server, java.time.Instant hour, double cpuSeconds, double uptimeHours) {
        Tenant.getEntityManager().createNativeQuery("insert into usage_hour (server_id, tenant_id, hour, cpu_seconds, uptime_hours, "
                        + "memory_gib_hours, disk_gib_hours, samples) values (?1, ?2, ?3, ?4, ?5, ?5 * 0.0625, ?5 * 0.0625, 360)")
                .setParameter(1, server.id).setParameter(2, server.tenant.id).setParameter(3, java.sql.Timestamp.from(hour))
                .setParameter(4, cpuSeconds).setParameter(5, uptimeHours).executeUpdate();
    }

    /** A fully sampled hour of a host's ledger: its average CPU cores busy and memory and disk in use (GiB). */
    public void hostHour(Host host, java.time.Instant hour, double cpuCores, double memoryGiB, double diskGiB) {
        Tenant.getEntityManager().createNativeQuery("insert into host_hour (host_id, hour, observed_seconds, cpu_busy_core_seconds, "
                        + "memory_used_gib_hours, disk_used_gib_hours, samples) values (?1, ?2, 3600, ?3 * 3600, ?4, ?5, 360)")
                .setParameter(1, host.id).setParameter(2, java.sql.Timestamp.from(hour)).setParameter(3, cpuCores)
                .setParameter(4, memoryGiB).setParameter(5, diskGiB).executeUpdate();
    }

    /** The host as the database has it now. */
    public Host found(long id) {
        return Host.findById(id);
    }

    /** As if the host's agent had last answered an hour ago: its next silent heartbeat marks it down. */
    public void lastHeardLongAgo(long id) {
        Host.<Host>findById(id).lastHeartbeat = OffsetDateTime.now().minusHours(1);
    }
}
