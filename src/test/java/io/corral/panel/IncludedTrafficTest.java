package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.billing.BillingService;
import io.corral.panel.billing.TrafficMonth;
import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plan's included traffic in the billing export, from a known usage ledger in November 2026 (30 days): a plan
 * including 100 GiB sent per server and month at 0.5 EUR for each GiB beyond, and an unmetered one.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class IncludedTrafficTest {
    static final String NOVEMBER = "from=2026-11-01&to=2026-12-01";
    /** The service asked as if it were still November 2026, the month of the ledger's traffic, which it then calls "this month". */
    static final java.time.YearMonth AS_OF_NOVEMBER = java.time.YearMonth.of(2026, 11);
    static final long GIB = 1L << 30;
    @Inject
    Fixtures fixtures;
    @Inject
    BillingService billing;
    long acme, under, over, late, gone, free;

    @BeforeEach
    @Transactional
    void ledger() {
        fixtures.wipe();
        Plan metered = fixtures.plan(9, 8192, 8, 102400), unmetered = fixtures.plan(9, 8192, 8, 102400);
        metered.serverIncludedTrafficGib = 100L;
        metered.priceTrafficOverageGib = new BigDecimal("0.5");
        unmetered.priceTrafficOverageGib = new BigDecimal("0.5"); // a price without an allowance charges nothing
        Host host = fixtures.host("host-a", 8, 16384, 500_000);
        Tenant a = fixtures.tenant("acme", metered), g = fixtures.tenant("globex", unmetered);
        acme = a.id;
        TestKeycloak.get().joinTenant("cleo", "acme");
        OffsetDateTime october = OffsetDateTime.parse("2026-10-01T00:00:00Z");
        under = server(a, host, "under.acme", october);
        sent(under, "2026-11-02T10:00:00Z", 40 * GIB, 0);
        sent(under, "2026-11-20T10:00:00Z", 50 * GIB, 0);
        over = server(a, host, "over.acme", october);
        sent(over, "2026-11-02T10:00:00Z", 70 * GIB, 500 * GIB); // what it receives is free
        sent(over, "2026-11-10T10:00:00Z", 50 * GIB, 0);
        sent(over, "2026-11-20T10:00:00Z", 10 * GIB, 0);
        late = server(a, host, "late.acme", OffsetDateTime.parse("2026-11-16T00:20:00Z")); // ordered in the month's 361st hour
        sent(late, "2026-11-20T10:00:00Z", 60 * GIB, 0);
        gone = server(a, host, "gone.acme", october);
        sent(gone, "2026-11-05T10:00:00Z", 35 * GIB, 0);
        VirtualServer.getEntityManager().createNativeQuery("insert into operation (server_id, kind, status, requested_by, finished_at) "
                + "values (?1, 'destroy', 'succeeded', 'ada', '2026-11-10T00:00:00Z')").setParameter(1, gone).executeUpdate();
        free = server(g, host, "free.globex", october);
        sent(free, "2026-11-03T10:00:00Z", 5000 * GIB, 0);
    }

    long server(Tenant tenant, Host host, String hostname, OffsetDateTime ordered) {
        VirtualServer v = fixtures.server(tenant, host, hostname, VirtualServer.Observed.running);
        v.createdAt = ordered;
        return v.id;
    }

    void sent(long server, String hour, long sentBytes, long receivedBytes) {
        fixtures.usageHour(server, Instant.parse(hour), 0, 1);
        VirtualServer.getEntityManager().createNativeQuery("update usage_hour set network_out_bytes = ?3, network_in_bytes = ?4 "
                        + "where server_id = ?1 and hour = ?2").setParameter(1, server).setParameter(2, java.sql.Timestamp.from(Instant.parse(hour)))
                .setParameter(3, sentBytes).setParameter(4, receivedBytes).executeUpdate();
    }

    @Test
    void aServerUnderItsAllowancePaysNothingExtra() throws Exception {
        List<CSVRecord> lines = lines(NOVEMBER, under);
        assertEquals(List.of("40.000000", "50.000000"), column(lines, "traffic_out_gib"));
        assertEquals(List.of("100.000000", "100.000000"), column(lines, "traffic_included_gib"), "the month's allowance on each line");
        assertEquals(List.of("0.000000", "0.000000"), column(lines, "traffic_overage_cost"));
        for (CSVRecord l : lines) {
            assertEquals(decimal(l, "base_cost").add(decimal(l, "resource_cost")), decimal(l, "cost"));
        }
        assertEquals("90 GiB of 100 GiB included this month", billing.trafficInMonth(under, LocalDate.parse("2026-11-26"), AS_OF_NOVEMBER).summary());
    }

    @Test
    void aServerOverItPaysExactlyTheOverageTimesThePrice() throws Exception {
        List<CSVRecord> lines = lines(NOVEMBER, over);
        assertEquals(List.of("0.000000", "20.000000", "10.000000"), column(lines, "traffic_overage_gib"),
                "the line passing 100 GiB carries the part beyond it, later lines all they send; the 500 GiB received count for nothing");
        assertEquals(List.of("0.000000", "10.000000", "5.000000"), column(lines, "traffic_overage_cost"));
        for (CSVRecord l : lines) {
            assertEquals(decimal(l, "base_cost").add(decimal(l, "resource_cost")).add(decimal(l, "traffic_overage_cost")), decimal(l, "cost"));
        }
        assertEquals(new BigDecimal("15.000000"), sum(lines, "traffic_overage_cost"), "(130 - 100) GiB x 0.5");
        assertEquals("570.000000", lines.get(0).get("network_gib"), "network_gib stays what it received and sent together");

        // the server's page and usage API say the same as the lines add up to
        TrafficMonth month = billing.trafficInMonth(over, LocalDate.parse("2026-11-26"), AS_OF_NOVEMBER);
        assertEquals(0, new BigDecimal("30").compareTo(month.overageGiB()));
        assertEquals(0, new BigDecimal("15").compareTo(month.overageCost()));
        assertEquals("130 GiB of 100 GiB included this month; 30 GiB beyond it: 15.00 EUR", month.summary());

        // hourly lines charge the same
        assertEquals(new BigDecimal("15.000000"), sum(lines(NOVEMBER + "&granularity=hour", over), "traffic_overage_cost"));
        JsonNode tenth = jsonLine("over.acme", "2026-11-10T00:00:00Z");
        assertEquals(0, new BigDecimal("10").compareTo(tenth.get("traffic_overage_cost").decimalValue()));
        assertTrue(tenth.get("traffic_included_gib").isNumber());
    }

    @Test
    void anAllowanceIsProRataAndAPeriodFromTheMiddleOfTheMonthCountsWhatWasSentBefore() throws Exception {
        // ordered in the 361st of 720 hours (its first hour counts whole): 100 x 360 / 720; 60 sent
        assertEquals(List.of("50.000000"), column(lines(NOVEMBER, late), "traffic_included_gib"));
        assertEquals(List.of("10.000000"), column(lines(NOVEMBER, late), "traffic_overage_gib"));
        // destroyed at the start of the tenth day: 100 x 9 / 30; 35 sent before
        assertEquals(List.of("30.000000"), column(lines(NOVEMBER, gone), "traffic_included_gib"));
        assertEquals(List.of("5.000000"), column(lines(NOVEMBER, gone), "traffic_overage_gib"));
        assertEquals("35 GiB of 30 GiB included this month (pro rata of 100 GiB); 5 GiB beyond it: 2.50 EUR",
                billing.trafficInMonth(gone, LocalDate.parse("2026-11-26"), AS_OF_NOVEMBER).summary());
        // an export of the second half charges the 20th as the whole month's does: 120 GiB were sent before it
        List<CSVRecord> secondHalf = lines("from=2026-11-15&to=2026-12-01", over);
        assertEquals(List.of("2026-11-20T00:00:00Z"), column(secondHalf, "charge_start"));
        assertEquals(List.of("10.000000"), column(secondHalf, "traffic_overage_gib"));
    }

    @Test
    void anUnmeteredPlanNeverCharges() throws Exception {
        List<CSVRecord> lines = lines(NOVEMBER, free);
        assertEquals(List.of("5000.000000"), column(lines, "traffic_out_gib"));
        assertEquals(List.of(""), column(lines, "traffic_included_gib"), "no allowance: unmetered");
        assertEquals(List.of("0.000000"), column(lines, "traffic_overage_cost"));
        assertTrue(jsonLine("free.globex", "2026-11-03T00:00:00Z").get("traffic_included_gib").isNull());
        assertEquals("5,000 GiB sent this month; traffic is unmetered", billing.trafficInMonth(free, LocalDate.parse("2026-11-26"), AS_OF_NOVEMBER).summary());
    }

    @Test
    void theMonthIsPricedByThePlanTheTenantIsOnWhenItsPeriodCloses() throws Exception {
        int period = Api.as("ada").body("{\"startsOn\":\"2026-11-01\",\"endsOn\":\"2026-12-01\"}").post("/api/v1/billing/periods")
                .then().statusCode(201).extract().path("id");
        String open = export(NOVEMBER);
        Api.as("ada").post("/api/v1/billing/periods/" + period + "/close").then().statusCode(200);
        assertEquals(open, export(NOVEMBER), "frozen with the traffic columns");

        moveAcmeToAPlanIncluding(1000);
        assertEquals(open, export(NOVEMBER), "a closed period keeps the allowance of the plan it was closed with, byte for byte");
        // a live export prices the whole month, the days before the move too, by the plan the tenant is on now
        List<CSVRecord> live = lines("from=2026-11-01&to=2026-11-30", over);
        assertEquals(List.of("1000.000000", "1000.000000", "1000.000000"), column(live, "traffic_included_gib"));
        assertEquals(new BigDecimal("0.000000"), sum(live, "traffic_overage_cost"));
    }

    @Test
    void theUsageApiGivesOnlyTheCallersOwnServers() {
        Api.as("cleo").queryParam("month", "2026-11").get("/api/v1/servers/" + over + "/usage/traffic").then().statusCode(200)
                .body("summary", org.hamcrest.Matchers.equalTo("130 GiB of 100 GiB included in 2026-11; 30 GiB beyond it: 15.00 EUR"))
                .body("includedGiB", org.hamcrest.Matchers.equalTo(100.0f));
        // the month now, said as such (the ledger's traffic is November's, 2026, whatever today is)
        String now = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        Api.as("cleo").get("/api/v1/servers/" + over + "/usage/traffic").then().statusCode(200).body("month", org.hamcrest.Matchers.equalTo(now))
                .body("summary", org.hamcrest.Matchers.endsWith(" included this month"));
        Api.as("cleo").queryParam("month", "November").get("/api/v1/servers/" + over + "/usage/traffic").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("month"));
        Api.as("cleo").get("/api/v1/servers/" + free + "/usage/traffic").then().statusCode(404);
    }

    @Transactional
    void moveAcmeToAPlanIncluding(long gib) {
        Plan bigger = fixtures.plan(9, 8192, 8, 102400);
        bigger.serverIncludedTrafficGib = gib;
        Tenant.<Tenant>findById(acme).plan = bigger;
    }

    String export(String range) {
        return Api.as("ada").get("/api/v1/billing/export?" + range).then().statusCode(200).extract().asString();
    }

    JsonNode jsonLine(String hostname, String chargeStart) throws Exception {
        for (JsonNode line : new ObjectMapper().readTree(export(NOVEMBER + "&format=json"))) {
            if (line.get("hostname").asText().equals(hostname) && line.get("charge_start").asText().equals(chargeStart)) {
                return line;
            }
        }
        throw new AssertionError("no line of " + hostname + " at " + chargeStart);
    }

    List<CSVRecord> lines(String range, long server) throws Exception {
        return BillingExportTest.parse(export(range)).stream().filter(r -> r.get("server_id").equals(Long.toString(server))).toList();
    }

    static List<String> column(List<CSVRecord> lines, String name) {
        return lines.stream().map(r -> r.get(name)).collect(Collectors.toList());
    }

    static BigDecimal decimal(CSVRecord line, String name) {
        return new BigDecimal(line.get(name));
    }

    static BigDecimal sum(List<CSVRecord> lines, String name) {
        return lines.stream().map(l -> decimal(l, name)).reduce(BigDecimal.ZERO.setScale(6), BigDecimal::add);
    }
}
