package io.corral.panel;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.agent.DiskSnapshot;
import io.corral.panel.backup.Backup;
import io.corral.panel.backup.BackupSchedule;
import io.corral.panel.backup.BackupScheduler;
import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.snapshot.Snapshot;
import io.corral.panel.snapshot.SnapshotSteps;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots and backups as the panel queues them (the worker off: what is queued is looked at): the plan's bounds refuse
 * naming the field and the rule, with nothing queued; a snapshot whose measured size puts the tenant over its storage is
 * marked for deletion with the reason; another tenant's server is not found; a due schedule queues one backup however
 * many schedulers look at once, and backups past retention are deleted once.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SnapshotAndBackupQuotaTest {
    static final long GIB = 1L << 30;
    @Inject
    Fixtures fixtures;
    @Inject
    SnapshotSteps snapshotSteps;
    @Inject
    BackupScheduler scheduler;
    @Inject
    io.corral.panel.usage.StorageMeter storageMeter;
    long web, db;

    @BeforeEach
    @Transactional
    void world() {
        fixtures.wipe();
        Plan plan = fixtures.plan(3, 100_000, 10, 1_000_000);
        plan.serverMaxSnapshots = 2;
        plan.maxSnapshotGib = 1;
        plan.serverMaxBackups = 3;
        Tenant acme = fixtures.tenant("acme", plan);
        TestKeycloak.get().joinTenant("cleo", "acme");
        fixtures.tenant("globex", fixtures.plan(1, 1024, 1, 1024));
        TestKeycloak.get().joinTenant("gus", "globex");
        Host host = fixtures.host("host-a", 8, 100_000, 1_000_000);
        web = fixtures.server(acme, host, "web", VirtualServer.Observed.running).id;
        db = fixtures.server(acme, host, "db", VirtualServer.Observed.running).id;
    }

    @Test
    void snapshotsAreBoundedPerServerAndByTheTenantsStorage() {
        String path = "/api/v1/servers/" + web + "/snapshots";
        String first = Api.as("cleo").post(path).then().statusCode(202).body("status", equalTo("pending"))
                .header("Location", containsString("/api/v1/operations/")).extract().path("id");
        Api.as("cleo").header("Idempotency-Key", "again").post(path).then().statusCode(202);
        Api.as("cleo").header("Idempotency-Key", "again").post(path).then().statusCode(202);
        Api.as("cleo").post(path).then().statusCode(422).body("field", equalTo("snapshots"))
                .body("detail", equalTo("snapshots: plan '" + planName() + "' allows 2 snapshots per server and server " + web
                        + " has 2: delete one first"));
        assertEquals(2, Operation.count("kind", Operation.Kind.snapshot), "one per snapshot, a repeated key none more");
        Api.as("cleo").get(path).then().statusCode(200).body("size()", equalTo(2)).body("[0].id", equalTo(first));

        // the first is taken and measured at a GiB: the tenant's storage is full, so no snapshot of another server either
        assertEquals(Optional.empty(), snapshotSteps.taken(first, measured(first, GIB)));
        Api.as("cleo").post("/api/v1/servers/" + db + "/snapshots").then().statusCode(422).body("field", equalTo("snapshotStorage"));

        // the second one, already queued, turns out to put the tenant over: it is marked for deletion, with the reason
        String second = Api.as("cleo").get(path).then().extract().path("[1].id");
        String why = snapshotSteps.taken(second, measured(second, 1)).orElseThrow();
        assertEquals("snapshotStorage: plan '" + planName() + "' allows 1 GiB of snapshots in all; with this one of 0.01 GiB the tenant's "
                + "would take 1.01 GiB, so it was deleted again", why);
        Api.as("cleo").get(path).then().body("[1].status", equalTo("deleting")).body("[1].error", equalTo(why));
        snapshotSteps.deleted(second);
        Api.as("cleo").get(path).then().body("size()", equalTo(1));
        assertEquals(Snapshot.Status.failed, Snapshot.<Snapshot>findById(second).status);
    }

    @Test
    void anotherTenantsServerHasNoSnapshotsBackupsOrScheduleToFind() {
        for (String path : List.of("/snapshots", "/backups", "/backup-schedule")) {
            Api.as("gus").get("/api/v1/servers/" + web + path).then().statusCode(404);
        }
        Api.as("gus").post("/api/v1/servers/" + web + "/snapshots").then().statusCode(404);
        Api.as("gus").post("/api/v1/servers/" + web + "/backups").then().statusCode(404);
        Api.as("gus").body("{\"frequency\":\"daily\",\"hour\":3,\"retention\":1}").put("/api/v1/servers/" + web + "/backup-schedule")
                .then().statusCode(404);
        String sid = Api.as("cleo").post("/api/v1/servers/" + web + "/snapshots").then().statusCode(202).extract().path("id");
        Api.as("gus").post("/api/v1/servers/" + web + "/snapshots/" + sid + "/restore").then().statusCode(404);
        Api.as("gus").delete("/api/v1/servers/" + web + "/snapshots/" + sid).then().statusCode(404);
        Api.as("cleo").delete("/api/v1/servers/" + db + "/snapshots/" + sid).then().statusCode(404);
        Api.as("cleo").delete("/api/v1/servers/" + web + "/snapshots/a%00b").then().statusCode(404);
        assertEquals(1, Operation.count("kind", Operation.Kind.snapshot));
        assertEquals(0, Operation.count("kind in ?1", List.of(Operation.Kind.snapshot_delete, Operation.Kind.snapshot_restore)));
    }

    @Test
    void backupsAreBoundedPerServerAndASchedulesRetentionByThePlan() {
        String path = "/api/v1/servers/" + web + "/backups";
        for (int i = 0; i < 3; i++) {
            Api.as("cleo").post(path).then().statusCode(202).body("status", equalTo("pending")).body("scheduled", equalTo(false));
        }
        Api.as("cleo").post(path).then().statusCode(422).body("field", equalTo("backups"));
        assertEquals(3, Operation.count("kind", Operation.Kind.backup));

        String schedule = "/api/v1/servers/" + web + "/backup-schedule";
        Api.as("cleo").get(schedule).then().statusCode(404);
        Api.as("cleo").body("{\"frequency\":\"weekly\",\"hour\":3,\"retention\":2}").put(schedule).then().statusCode(400)
                .body("field", equalTo("weekday"));
        Api.as("cleo").body("{\"frequency\":\"daily\",\"hour\":24,\"retention\":2}").put(schedule).then().statusCode(400)
                .body("field", equalTo("hour"));
        Api.as("cleo").body("{\"frequency\":\"hourly\",\"hour\":3,\"retention\":2}").put(schedule).then().statusCode(400)
                .body("field", equalTo("frequency"));
        Api.as("cleo").body("{\"frequency\":\"daily\",\"hour\":3,\"retention\":4}").put(schedule).then().statusCode(422)
                .body("field", equalTo("retention"));
        Api.as("cleo").get(schedule).then().statusCode(404);
        String next = Api.as("cleo").body("{\"frequency\":\"weekly\",\"weekday\":7,\"hour\":3,\"retention\":2}").put(schedule).then()
                .statusCode(200).body("frequency", equalTo("weekly")).extract().path("nextRunAt");
        OffsetDateTime at = OffsetDateTime.parse(next);
        assertEquals(java.time.DayOfWeek.SUNDAY, at.getDayOfWeek());
        assertEquals(3, at.getHour());
        assertTrue(at.isAfter(OffsetDateTime.now()) && at.isBefore(OffsetDateTime.now().plusWeeks(1)), next);
    }

    @Test
    void aDueScheduleQueuesOneBackupWhateverManySchedulersLookAndRetentionDeletesTheOldestOnce() throws Exception {
        Api.as("cleo").body("{\"frequency\":\"daily\",\"hour\":3,\"retention\":2}").put("/api/v1/servers/" + db + "/backup-schedule")
                .then().statusCode(200);
        due(db);
        assertEquals(List.of(1, 0), twice(scheduler::runDue).stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(1, Operation.count("kind = ?1 and requestedBy = ?2", Operation.Kind.backup, "backup-schedule"));
        assertTrue(nextRun(db).isAfter(OffsetDateTime.now()), "the next run moved on");
        assertEquals(0, scheduler.runDue(), "not due again");

        // three scheduled backups taken, retention two: the oldest is deleted, once
        readyScheduled(db, 3);
        assertEquals(List.of(1, 0), twice(scheduler::prune).stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(1, Operation.count("kind", Operation.Kind.backup_delete));
        assertEquals(Backup.Status.deleting, oldest(db).status);
        assertEquals(0, scheduler.prune());
    }

    @Test
    void aBackupBeingRestoredIntoANewServerIsNotDeletedUnderIt() {
        copiesOfWeb();
        String order = "{\"hostname\":\"again\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":64}";
        Api.as("cleo").header("Idempotency-Key", "k1").delete("/api/v1/servers/" + web + "/snapshots/11").then().statusCode(202);
        Api.as("cleo").header("Idempotency-Key", "k1").body(order).post("/api/v1/backups/12/servers").then().statusCode(400)
                .body("field", equalTo("Idempotency-Key"));
        Api.as("cleo").body(order).post("/api/v1/backups/12/servers").then().statusCode(201);
        // the worker is off: the restore stays queued, on the new server's queue, which a delete on web's would not wait for
        Api.as("cleo").delete("/api/v1/servers/" + web + "/backups/12").then().statusCode(409)
                .body("detail", equalTo("backup 12 is being restored into a server: delete it when that is done"));
        assertEquals(0, Operation.count("kind", Operation.Kind.backup_delete));
    }

    @Transactional
    void copiesOfWeb() {
        fixtures.copies(web, 11, 12);
    }

    @Test
    void storageIsInTheLedgerByTheHourAndBilledAtThePlansPrices() throws Exception {
        // a snapshot of 2 GiB from 00:30 to 02:00; backups taking 1 GiB in the store from 01:00, 0.5 GiB from 03:00 (one deleted),
        // on 10 October (744 hours in the month)
        stored(web, OffsetDateTime.parse("2026-10-10T00:30:00Z"), OffsetDateTime.parse("2026-10-10T02:00:00Z"), 2 * GIB, GIB);
        backupStorage(web, OffsetDateTime.parse("2026-10-10T03:00:00Z"), GIB / 2);
        assertEquals(4, storageMeter.meter(java.time.Instant.parse("2026-10-10T04:10:00Z")), "the four hours that ended");
        assertEquals(0, storageMeter.meter(java.time.Instant.parse("2026-10-10T04:20:00Z")), "none twice");
        assertEquals(3.0, ledger("snapshot_gib_hours"), 1e-9);
        assertEquals(2.5, ledger("backup_gib_hours"), 1e-9);
        meteredFrom("2026-10-10T00:00:00Z");
        storageMeter.meter(java.time.Instant.parse("2026-10-10T04:10:00Z"));
        assertEquals(3.0, ledger("snapshot_gib_hours"), 1e-9, "an hour metered again counts once");

        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Api.as("ada")
                .get("/api/v1/billing/export?from=2026-10-10&to=2026-10-11&format=json").then().statusCode(200).extract().asString()).get(0);
        assertEquals(3.0, line.get("snapshot_gib_hours").asDouble());
        assertEquals(2.5, line.get("backup_gib_hours").asDouble());
        assertEquals(0, line.get("billed_hours").asInt(), "hours with storage only are no hours of the server");
        // (3 x 7.44 + 2.5 x 14.88) / 744
        assertEquals("0.08", line.get("storage_cost").decimalValue().stripTrailingZeros().toPlainString());
        assertEquals("0.08", line.get("cost").decimalValue().stripTrailingZeros().toPlainString());
    }

    @Transactional
    void stored(long serverId, OffsetDateTime from, OffsetDateTime until, long snapshotBytes, long backupBytes) {
        VirtualServer v = VirtualServer.findById(serverId);
        v.tenant.plan.priceSnapshotGibMonth = new java.math.BigDecimal("7.44");
        v.tenant.plan.priceBackupGibMonth = new java.math.BigDecimal("14.88");
        Snapshot s = new Snapshot();
        s.id = "old-snapshot";
        s.server = v;
        s.tenant = v.tenant;
        s.status = Snapshot.Status.deleted;
        s.storedBytes = snapshotBytes;
        s.createdAt = from;
        s.takenAt = from;
        s.deletedAt = until;
        s.persist();
        Backup b = new Backup();
        b.id = "old-backup";
        b.server = v;
        b.tenant = v.tenant;
        b.host = v.host;
        b.status = Backup.Status.ready;
        b.storedBytes = backupBytes;
        b.createdAt = from.plusMinutes(30);
        b.takenAt = b.createdAt;
        b.persist();
        backupStorage(serverId, b.takenAt, backupBytes);
        meteredFrom(from.withMinute(0).toString());
    }

    @Transactional
    void backupStorage(long serverId, OffsetDateTime since, long bytes) {
        VirtualServer.getEntityManager().createNativeQuery("insert into backup_storage (server_id, tenant_id, since, stored_bytes) "
                + "select id, tenant_id, ?2, ?3 from virtual_server where id = ?1").setParameter(1, serverId).setParameter(2, since)
                .setParameter(3, bytes).executeUpdate();
    }

    @Transactional
    void meteredFrom(String hour) {
        VirtualServer.getEntityManager().createNativeQuery("update storage_meter set metered_until = cast(?1 as timestamptz)")
                .setParameter(1, hour).executeUpdate();
    }

    double ledger(String column) {
        return ((Number) VirtualServer.getEntityManager().createNativeQuery("select coalesce(sum(" + column + "), 0) from usage_hour where server_id = ?1")
                .setParameter(1, web).getSingleResult()).doubleValue();
    }

    private String planName() {
        return Tenant.<Tenant>find("slug", "acme").firstResult().plan.name;
    }

    private DiskSnapshot measured(String id, long storedBytes) {
        return new DiskSnapshot(id, Long.toString(web), "busybox", OffsetDateTime.now(), 64L << 20, storedBytes, 12, true);
    }

    /** Two calls at once, their results. */
    private static List<Integer> twice(Callable<Integer> call) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = two.invokeAll(List.of(call, call));
            return List.of(results.get(0).get(), results.get(1).get());
        } finally {
            two.shutdown();
        }
    }

    @Transactional
    void due(long serverId) {
        BackupSchedule.<BackupSchedule>findById(serverId).nextRunAt = OffsetDateTime.now().minusMinutes(1);
    }

    @Transactional
    OffsetDateTime nextRun(long serverId) {
        return BackupSchedule.<BackupSchedule>findById(serverId).nextRunAt;
    }

    /** The server's pending scheduled backup taken, and more like it, count in all. */
    @Transactional
    void readyScheduled(long serverId, int count) {
        Backup queued = Backup.find("server.id", serverId).firstResult();
        queued.status = Backup.Status.ready;
        for (int i = 1; i < count; i++) {
            Backup b = new Backup();
            b.id = "scheduled-" + i;
            b.server = queued.server;
            b.tenant = queued.tenant;
            b.host = queued.host;
            b.scheduled = true;
            b.status = Backup.Status.ready;
            b.createdAt = queued.createdAt.plusMinutes(i);
            b.persist();
        }
    }

    @Transactional
    Backup oldest(long serverId) {
        return Backup.<Backup>find("server.id = ?1 order by createdAt", serverId).firstResult();
    }
}
