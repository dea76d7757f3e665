package io.corral.panel.plan;

import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Optional;

/** What a tenant may have (quotas in all and per server, one of each for every limit a server has) and what it costs. */
@Entity
public class Plan extends PanacheEntityBase {
    /** Forwards per server of a plan that does not say: SSH and a few services. */
    public static final int DEFAULT_PORT_FORWARDS = 4, MAX_PORT_FORWARDS = 32;
    /** Snapshots and backups of a plan that does not say (as V21 gave existing plans), and the most any plan may give. */
    public static final int DEFAULT_SNAPSHOTS = 3, MAX_SNAPSHOTS = 16, DEFAULT_BACKUPS = 7, MAX_BACKUPS = 100;
    public static final long DEFAULT_SNAPSHOT_GIB = 20, MAX_SNAPSHOT_GIB = 1_000_000;
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public int maxServers;
    public long maxMemoryMib;
    public long maxSwapMib;
    public BigDecimal maxCpus;
    public long maxCpuWeight;
    public long maxPids;
    public long maxDiskMib;
    public long serverMaxMemoryMib;
    public long serverMaxSwapMib;
    public BigDecimal serverMaxCpus;
    public int serverMaxCpuWeight;
    public int serverMaxPids;
    public long serverMaxDiskMib;
    public int serverNetworkInMbit;
    public int serverNetworkOutMbit;
    public int serverDiskMibps;
    public int serverDiskIops;
    /** How many port forwards each server may have (on a private network); 0: none. */
    public int serverPortForwards = DEFAULT_PORT_FORWARDS;
    /** Snapshots each server may keep; their storage on the hosts for the whole tenant, GiB; backups each server keeps. */
    public int serverMaxSnapshots = DEFAULT_SNAPSHOTS;
    public long maxSnapshotGib = DEFAULT_SNAPSHOT_GIB;
    public int serverMaxBackups = DEFAULT_BACKUPS;
    public BigDecimal priceServerMonth;
    public BigDecimal priceMemoryGibMonth;
    public BigDecimal priceCpuMonth;
    public BigDecimal priceDiskGibMonth;
    /** What each server may send in a month before the rest is charged, GiB; null: unmetered. */
    public Long serverIncludedTrafficGib;
    /** The price of each GiB a server sends beyond what is included. */
    public BigDecimal priceTrafficOverageGib = BigDecimal.ZERO;
    /** Per GiB stored for a month: snapshots on the hosts, backups in the backup stores (compressed). */
    public BigDecimal priceSnapshotGibMonth = BigDecimal.ZERO;
    public BigDecimal priceBackupGibMonth = BigDecimal.ZERO;
    public String currency;
    /** The kind of network its servers get, public or private, or none. */
    public String network;
    public OffsetDateTime createdAt;

    /** The most one server of the plan may have. */
    public Limits perServer() {
        return new Limits(serverMaxMemoryMib, serverMaxSwapMib, serverMaxCpus, serverMaxCpuWeight, serverMaxPids, serverMaxDiskMib);
    }

    /** What each server of the plan may move: bandwidth and disk IO. */
    public Rates rates() {
        return new Rates(serverNetworkInMbit, serverNetworkOutMbit, serverDiskMibps, serverDiskIops);
    }

    /** The most a tenant of the plan may hold in all. */
    public Allocation allowedInAll() {
        return new Allocation(maxServers, maxMemoryMib, maxSwapMib, maxCpus, maxCpuWeight, maxPids, maxDiskMib);
    }

    public static Optional<Plan> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
