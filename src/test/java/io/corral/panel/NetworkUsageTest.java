package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.usage.UsagePartitions;
import io.corral.panel.usage.UsageSteps;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic from recorded samples: the agent's cumulative bytes in and out (per counter epoch, as CPU time) go
 * into the ledger as their growth, a new epoch counting from zero and a redelivered round counting nothing;
 * the billing export's network_gib is their sum, in and out.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NetworkUsageTest {
    static final long GIB = 1L << 30;
    @Inject
    Fixtures fixtures;
    @Inject
    UsageSteps steps;
    @Inject
    UsagePartitions partitions;
    long hostId, serverId;

    @BeforeEach
    @Transactional
    void world() {
        fixtures.wipe();
        Host host = fixtures.host("host-a", 8, 16384, 100_000);
        Tenant acme = fixtures.tenant("acme", fixtures.plan(2, 2048, 2, 20480));
        hostId = host.id;
        serverId = fixtures.server(acme, host, "web", VirtualServer.Observed.running).id;
    }

    SampleRound round(long seq, Instant at, String epoch, long in, long out) {
        ServerSample s = new ServerSample(Long.toString(serverId), true, epoch, 0, 64L << 20, 64L << 20, 3, 0, 0, 0, 1L << 20, 0, 0, 0, in, out);
        return new SampleRound(seq, at.toEpochMilli(), new HostSample(seq * 100, seq * 800, 0.1, 1L << 30, 1L << 30, 1), List.of(s));
    }

    @Test
    void bytesInAndOutAreMeteredByTheirGrowthAndBilledAsNetworkGib() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES);
        LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
        partitions.ensure(day, day.plusDays(1));
        List<SampleRound> rounds = List.of(
                round(1, t, "boot-1", GIB, GIB / 4),                              // the first sample: all of it
                round(2, t.plusSeconds(10), "boot-1", 3 * GIB, 3 * GIB / 4),      // 2 GiB in, 0.5 GiB out more
                round(3, t.plusSeconds(20), "boot-2", GIB / 2, GIB / 4));         // restarted: counts from zero
        steps.record(hostId, rounds);
        steps.record(hostId, rounds.subList(1, 3)); // delivered again: counted once

        long[] ledger = ledger();
        assertEquals(3 * GIB + GIB / 2, ledger[0], "bytes in");
        assertEquals(GIB, ledger[1], "bytes out");
        List<Number> in = Api.as("ada").get("/api/v1/servers/" + serverId + "/usage?from=" + t.minus(1, ChronoUnit.HOURS) + "&to="
                + t.plus(1, ChronoUnit.HOURS)).then().statusCode(200).extract().path("networkInBytes");
        assertEquals(3 * GIB + GIB / 2, in.stream().mapToLong(Number::longValue).sum(), "the server's usage in the API");

        String csv = Api.as("ada").get("/api/v1/billing/export?from=" + day + "&to=" + day.plusDays(2)).then().statusCode(200).extract().asString();
        BigDecimal gib = BillingExportTest.parse(csv).stream().map(r -> new BigDecimal(r.get("network_gib"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("4.5").compareTo(gib), "3.5 GiB in and 1 GiB out: " + csv);
    }

    long[] ledger() {
        Object[] r = (Object[]) VirtualServer.getEntityManager().createNativeQuery("select coalesce(sum(network_in_bytes), 0), "
                + "coalesce(sum(network_out_bytes), 0) from usage_hour where server_id = ?1").setParameter(1, serverId).getSingleResult();
        return new long[] {((Number) r[0]).longValue(), ((Number) r[1]).longValue()};
    }
}
