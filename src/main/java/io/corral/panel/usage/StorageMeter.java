package io.corral.panel.usage;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Puts the storage of servers' snapshots and backups into the usage ledger, hour by hour once each hour has passed: for
 * each server, the GiB its snapshots took on the host times the part of the hour each existed (the snapshot rows' sizes
 * and lifetimes, kept after deletion), and the GiB its backups took in the store over the hour (backup_storage: what the
 * agent counted after each backup taken or deleted, each chunk once). Neither is changed afterwards, so an hour metered
 * late or twice comes out the same.
 */
@ApplicationScoped
public class StorageMeter {
    /** Hours one transaction meters at most: a panel down for long catches up over a few. */
    static final int MOST_HOURS = 24 * 7;

    @Inject
    EntityManager em;

    /** With the agents' samples: "off" in tests, which meter by hand. */
    @Scheduled(every = "${corral.usage.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        meter(Instant.now());
    }

    /** Meters the hours that ended by now and are not in the ledger yet; returns how many. */
    @Transactional
    public int meter(Instant now) {
        @SuppressWarnings("unchecked")
        List<Instant> cursor = em.createNativeQuery("select metered_until from storage_meter for update skip locked", Instant.class)
                .getResultList();
        if (cursor.isEmpty()) {
            return 0; // another panel instance is at it
        }
        Instant hour = cursor.get(0);
        Instant last = now.truncatedTo(ChronoUnit.HOURS);
        int metered = 0;
        for (; hour.isBefore(last) && metered < MOST_HOURS; hour = hour.plus(1, ChronoUnit.HOURS), metered++) {
            em.createNativeQuery(HOUR).setParameter(1, Timestamp.from(hour)).executeUpdate();
        }
        em.createNativeQuery("update storage_meter set metered_until = ?1").setParameter(1, Timestamp.from(hour)).executeUpdate();
        return metered;
    }

    /** One hour (?1) of every server's snapshot and backup storage, in GiB-hours. */
    private static final String HOUR = """
            with h as (select cast(?1 as timestamptz) as start, cast(?1 as timestamptz) + interval '1 hour' as stop),
            stored as (
                select c.server_id, c.tenant_id, c.stored_bytes / 1073741824.0
                           * extract(epoch from least(coalesce(c.deleted_at, 'infinity'), h.stop) - greatest(c.taken_at, h.start)) / 3600 as snapshot,
                       0 as backup
                from snapshot c, h where c.stored_bytes is not null and c.taken_at < h.stop and coalesce(c.deleted_at, 'infinity') > h.start
                union all
                select s.server_id, s.tenant_id, 0, s.stored_bytes / 1073741824.0
                           * extract(epoch from least(s.until, h.stop) - greatest(s.since, h.start)) / 3600
                from (select b.server_id, b.tenant_id, b.since, b.stored_bytes,
                             coalesce(lead(b.since) over (partition by b.server_id order by b.since), 'infinity') as until
                      from backup_storage b, h where b.since < h.stop) s, h
                where s.until > h.start)
            insert into usage_hour (server_id, tenant_id, hour, snapshot_gib_hours, backup_gib_hours)
            select server_id, tenant_id, (select start from h), sum(snapshot), sum(backup) from stored group by server_id, tenant_id
            on conflict (server_id, hour) do update set
                snapshot_gib_hours = excluded.snapshot_gib_hours, backup_gib_hours = excluded.backup_gib_hours""";
}
