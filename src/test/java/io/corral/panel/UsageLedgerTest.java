package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.host.Host;
import io.corral.panel.usage.UsageIngest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Metering end to end with a real agent sampling every second: a CPU burner under a 0.5-core limit
 * shows up in the ledger as the CPU time it was allowed; a restart, a redelivery and a backlog
 * neither double-count nor lose anything; a host's samples of a server placed on another host count nothing.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class UsageLedgerTest extends WithRealAgent {
    @Inject
    UsageIngest ingest;
    @Inject
    DataSource db;
    @Inject
    MeterRegistry metrics;

    @Test
    void aBurnerUnderHalfACoreIsMeteredOnceAndWhole() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("metered", 2), "cleo");
        int hostId = admin.host("local", agent);
        int id = Api.as("cleo").body("{\"hostname\":\"burner\",\"template\":\"busybox\",\"memoryMiB\":64,\"cpus\":0.5,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        Await.observed(id, "running");
        long started = ingestUntilPast(hostId, id, System.currentTimeMillis());
        double before = cpuSeconds(id);

        // 12 s of a busy loop, held to half a core by the limit: 6 CPU seconds
        long t0 = System.currentTimeMillis();
        Api.as("cleo").body("{\"command\":[\"timeout\",\"12\",\"sh\",\"-c\",\"while :; do :; done\"],\"timeoutSeconds\":60}")
                .post("/api/v1/servers/" + id + "/exec").then().statusCode(200);
        double burnt = (System.currentTimeMillis() - t0) / 1000.0 * 0.5;
        ingestUntilPast(hostId, id, System.currentTimeMillis());
        double metered = cpuSeconds(id) - before;
        System.out.printf("metered %.2f CPU seconds for %.2f allowed%n", metered, burnt);
        assertTrue(Math.abs(metered - burnt) <= 0.1 * burnt, "metered " + metered + " CPU seconds for " + burnt + " allowed");
        // the customer sees it through the API: core-hours as in the ledger, and the throttling that held it back
        java.util.List<java.util.Map<String, Object>> hours = Api.as("cleo").get("/api/v1/servers/" + id + "/usage")
                .then().statusCode(200).extract().path("$");
        double coreHours = hours.stream().mapToDouble(h -> ((Number) h.get("cpuCoreHours")).doubleValue()).sum();
        double throttled = hours.stream().mapToDouble(h -> ((Number) h.get("throttledSeconds")).doubleValue()).sum();
        assertEquals(cpuSeconds(id), coreHours * 3600, 1e-6);
        assertTrue(throttled > 1, "held to half a core, the burner was throttled: " + throttled + " s");
        if (hostKeepsPressureStalls()) {
            // the time it waited for CPU, from the kernel's pressure stall information, is close to the throttled time
            double stalled = hours.stream().mapToDouble(h -> ((Number) h.get("cpuStallSeconds")).doubleValue()).sum();
            assertTrue(stalled > 0.5 * throttled, "waited for CPU " + stalled + " s, throttled " + throttled + " s");
        }
        // the host's own ledger saw the burn, and so do the consolidation statistics
        Api.as("ada").get("/api/v1/hosts/" + hostId + "/usage?window=24h").then().statusCode(200)
                .body("cpuCores.max()", org.hamcrest.Matchers.greaterThan(0.0f));
        Api.as("ada").get("/api/v1/consolidation?window=24h").then().statusCode(200)
                .body("perHost[0].observedHours", org.hamcrest.Matchers.greaterThan(0.0f))
                .body("perHost[0].cpuUse.average", org.hamcrest.Matchers.greaterThan(0.0f));
        Api.as("cleo").get("/api/v1/servers/" + id + "/usage?from=yesterday").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("from"));

        // the same rounds delivered again (the cursor forgotten) count nothing; rounds sampled meanwhile add only
        // what the server used since the last sample taken
        double ledger = cpuSeconds(id);
        String last = "(select max(sampled_at) from usage_sample where server_id = " + id + ")";
        long rows = count("select count(*) from usage_sample where server_id = " + id);
        long lastCpuNanos = count("select cpu_nanos from usage_sample where server_id = " + id + " and sampled_at = " + last);
        long lastAt = count("select (extract(epoch from " + last + ") * 1000000)::bigint");
        resetCursor(hostId);
        ingest.ingest(Host.findById((long) hostId));
        long since = count("select cpu_nanos from usage_sample where server_id = " + id + " and sampled_at = " + last) - lastCpuNanos;
        assertEquals(ledger + since / 1e9, cpuSeconds(id), 1e-6);
        assertEquals(rows, count("select count(*) from usage_sample where server_id = " + id
                + " and (extract(epoch from sampled_at) * 1000000)::bigint <= " + lastAt));

        // a restart keeps its cgroup and counters: only what the restart itself used is added
        Api.as("cleo").post("/api/v1/servers/" + id + "/restart").then().statusCode(202);
        Await.observed(id, "running");
        ingestUntilPast(hostId, id, System.currentTimeMillis());
        assertTrue(cpuSeconds(id) - ledger < 0.5, "a restart does not count the server's CPU time again: " + (cpuSeconds(id) - ledger));

        // while the panel takes nothing the agent keeps sampling; then every round arrives, none twice
        long cursor = cursor(hostId);
        long t1 = System.currentTimeMillis();
        Await.until("the agent samples on", Duration.ofSeconds(20), () -> System.currentTimeMillis() - t1 > 4000);
        ingest.ingest(Host.findById((long) hostId));
        long delivered = count("select count(*) from host_sample where host_id = " + hostId + " and sampled_at > to_timestamp(" + t1 / 1000.0 + ")");
        assertTrue(delivered >= 3, "the backlog of " + delivered + " rounds arrived");
        assertTrue(cursor(hostId) > cursor);
        assertTrue(started > 0);
    }

    @Test
    void aHostsSamplesOfAServerPlacedOnAnotherHostAreSkipped() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("placed", 2), "cleo");
        int a = admin.host("a", agent);
        int id = Await.runningServer("cleo", "placed-on-a");
        ingestUntilPast(a, id, System.currentTimeMillis());
        long samples = count("select count(*) from usage_sample where server_id = " + id);
        long hours = count("select coalesce(sum(samples), 0) from usage_hour where server_id = " + id);

        // the same agent registered as a second host: every round it delivers names a server placed on host a
        int b = admin.host("b", agent);
        ingest.ingest(Host.findById((long) b));
        assertTrue(cursor(b) > 0, "host b's rounds were taken");
        assertTrue(count("select count(*) from host_sample where host_id = " + b) > 0, "with host b's own figures");
        assertEquals(0, count("select count(*) from usage_sample where host_id = " + b), "but none of its samples of a's server");
        assertEquals(0, count("select count(*) from usage_hour where host_id = " + b));
        assertEquals(samples, count("select count(*) from usage_sample where server_id = " + id));
        assertEquals(hours, count("select coalesce(sum(samples), 0) from usage_hour where server_id = " + id), "nothing billed twice");
        Counter skipped = metrics.find(UsageIngest.FOREIGN_SAMPLES).tag("host", "b").counter();
        assertTrue(skipped != null && skipped.count() >= samples, "each of its samples of the server was counted as skipped");

        // host a goes on metering the server: its samples were not taken by b
        ingestUntilPast(a, id, System.currentTimeMillis());
        assertTrue(count("select count(*) from usage_sample where server_id = " + id) > samples);
    }

    /** cgroup v2, or v1 with the unified tree beside it (hybrid): where the agent can read a server's pressure stalls. */
    static boolean hostKeepsPressureStalls() {
        return Files.exists(Path.of("/proc/pressure/cpu")) && (Files.exists(Path.of("/sys/fs/cgroup/cgroup.procs"))
                || Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs")));
    }

    /** Ingests until the server has a sample taken after the given instant; returns that sample's time. */
    long ingestUntilPast(int hostId, int serverId, long afterMillis) throws Exception {
        long[] latest = {0};
        Await.until("a sample after " + afterMillis, Duration.ofSeconds(30), () -> {
            ingest.ingest(Host.findById((long) hostId));
            latest[0] = count("select coalesce(max(extract(epoch from sampled_at) * 1000), 0)::bigint from usage_sample where server_id = " + serverId);
            return latest[0] > afterMillis;
        });
        return latest[0];
    }

    double cpuSeconds(int serverId) throws Exception {
        try (Connection c = db.getConnection(); ResultSet r = c.createStatement().executeQuery(
                "select coalesce(sum(cpu_seconds), 0) from usage_hour where server_id = " + serverId)) {
            r.next();
            return r.getDouble(1);
        }
    }

    long count(String sql) {
        return Db.number(db, sql);
    }

    long cursor(int hostId) {
        return count("select sample_cursor from host where id = " + hostId);
    }

    @Transactional
    void resetCursor(int hostId) {
        Host.update("sampleCursor = 0 where id = ?1", (long) hostId);
    }
}
