package io.corral.panel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.host.Host;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Billing exports from a known usage ledger: columns, types, prices, scoping, and frozen closed periods. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class BillingExportTest {
    static final String NOVEMBER = "from=2026-11-01&to=2026-12-01";
    @Inject
    Fixtures fixtures;
    long acme, globex, webId;
    @Inject
    io.corral.panel.billing.BillingService billing;

    @BeforeEach
    @Transactional
    void ledger() {
        fixtures.wipe();
        Plan plan = fixtures.plan(5, 8192, 4, 102400);
        plan.priceServerMonth = BigDecimal.valueOf(30);
        plan.priceMemoryGibMonth = BigDecimal.valueOf(2);
        plan.priceCpuMonth = BigDecimal.valueOf(3);
        plan.priceDiskGibMonth = new BigDecimal("0.1");
        Host host = fixtures.host("host-a", 8, 16384, 500_000);
        Tenant a = fixtures.tenant("acme", plan), g = fixtures.tenant("globex", plan);
        acme = a.id;
        globex = g.id;
        TestKeycloak.get().joinTenant("cleo", "acme");
        TestKeycloak.get().joinTenant("gus", "globex");
        VirtualServer web = fixtures.server(a, host, "web.acme", VirtualServer.Observed.running);
        web.memoryMib = 1024;
        web.cpus = BigDecimal.ONE;
        web.diskMib = 10240;
        VirtualServer db = fixtures.server(g, host, "db.globex", VirtualServer.Observed.running);
        webId = web.id;
        Instant day = Instant.parse("2026-11-02T00:00:00Z");
        for (int h = 0; h < 24; h++) {
            fixtures.usageHour(web, day.plusSeconds(3600L * h), 1800, 1); // half a core all day
        }
        fixtures.usageHour(db, Instant.parse("2026-11-03T05:00:00Z"), 36, 1);
        fixtures.usageHour(db, Instant.parse("2026-11-03T06:00:00Z"), 36, 1);
    }

    @Test
    void csvHasOneTypedLinePerServerPerDayWithThePlansPrices() throws Exception {
        String csv = Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        List<CSVRecord> lines = parse(csv);
        assertEquals(2, lines.size(), csv);
        CSVRecord web = lines.get(0);
        assertEquals("acme", web.get("tenant"));
        assertEquals("2026-11-02T00:00:00Z", web.get("charge_start"));
        assertEquals("2026-11-03T00:00:00Z", web.get("charge_end"));
        assertEquals(24, Integer.parseInt(web.get("billed_hours")));
        assertEquals(new BigDecimal("12.000000"), new BigDecimal(web.get("cpu_core_hours")), "0.5 cores for 24 hours");
        // a whole day of a 30-day month: base 30/30; 1 GiB × 2 + 1 CPU × 3 + 10 GiB × 0.1 = 6 a month, 0.2 a day
        assertEquals(new BigDecimal("1.000000"), new BigDecimal(web.get("base_cost")));
        assertEquals(new BigDecimal("0.200000"), new BigDecimal(web.get("resource_cost")));
        assertEquals(new BigDecimal("1.200000"), new BigDecimal(web.get("cost")));
        assertEquals("EUR", web.get("currency"));
        assertEquals("db.globex", lines.get(1).get("hostname"));
        assertEquals(2, Integer.parseInt(lines.get(1).get("billed_hours")));

        // the server page's estimate is the same lines, for the month so far
        assertEquals(new io.corral.panel.billing.BillingService.Cost(new java.math.BigDecimal("1.20"), "EUR"), billing.costInMonth(acme, webId, java.time.LocalDate.parse("2026-11-26")));

        String hourly = Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER + "&granularity=hour").then().statusCode(200).extract().asString();
        assertEquals(26, parse(hourly).size(), "a line per server per hour on request");
    }

    @Test
    void focusHasTheSpecificationsColumnsAndJsonIsTyped() throws Exception {
        String focus = Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER + "&format=focus").then().statusCode(200).extract().asString();
        var parsed = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(focus));
        assertEquals(List.of("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BilledCost",
                "EffectiveCost", "ListCost", "BillingCurrency", "ChargeCategory", "ChargeDescription", "ResourceId", "ResourceName",
                "ServiceName", "SkuId", "PricingUnit", "PricingQuantity", "ConsumedQuantity", "ConsumedUnit", "SubAccountId",
                "SubAccountName"), parsed.getHeaderNames());
        CSVRecord web = parsed.getRecords().get(0);
        assertEquals("2026-11-01T00:00:00Z", web.get("BillingPeriodStart"));
        assertEquals(new BigDecimal("1.200000"), new BigDecimal(web.get("BilledCost")));
        assertEquals("Usage", web.get("ChargeCategory"));
        assertEquals("acme", web.get("SubAccountId"));
        assertEquals(24, Integer.parseInt(web.get("PricingQuantity")));
        OffsetDateTime.parse(web.get("ChargePeriodEnd"));

        JsonNode json = new ObjectMapper().readTree(Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER + "&format=json")
                .then().statusCode(200).extract().asString());
        assertEquals(2, json.size());
        assertTrue(json.get(0).get("cost").isNumber() && json.get(0).get("server_id").isIntegralNumber());
        assertEquals(0, new BigDecimal("1.2").compareTo(json.get(0).get("cost").decimalValue()));
    }

    @Test
    void customersGetTheirOwnTenantOnlyAndBillingSystemsEvery() throws Exception {
        List<CSVRecord> mine = parse(Api.as("cleo").get("/api/v1/billing/export?" + NOVEMBER).then().statusCode(200).extract().asString());
        assertEquals(List.of("acme"), mine.stream().map(r -> r.get("tenant")).toList());
        Api.as("cleo").get("/api/v1/billing/export?" + NOVEMBER + "&tenantId=" + globex).then().statusCode(404);
        List<CSVRecord> theirs = parse(Api.as("gus").get("/api/v1/billing/export?" + NOVEMBER + "&tenantId=" + globex)
                .then().statusCode(200).extract().asString());
        assertEquals(List.of("globex"), theirs.stream().map(r -> r.get("tenant")).toList());

        String billing = TestKeycloak.get().clientToken("corral-billing", TestKeycloak.BILLING_SECRET);
        assertEquals(2, parse(given().auth().oauth2(billing).get("/api/v1/billing/export?" + NOVEMBER).then().statusCode(200)
                .extract().asString()).size());
        given().auth().oauth2(billing).post("/api/v1/billing/periods/1/close").then().statusCode(403);
        Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER + "&format=xml").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("format"));
        Api.as("ada").get("/api/v1/billing/export?from=2026-11-01").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("to"));
    }

    @Test
    void aClosedPeriodExportsTheSameBytesWhateverHappensLater() throws Exception {
        int period = Api.as("ada").body("{\"startsOn\":\"2026-11-01\",\"endsOn\":\"2026-12-01\"}").post("/api/v1/billing/periods")
                .then().statusCode(201).extract().path("id");
        String open = export();
        Api.as("ada").post("/api/v1/billing/periods/" + period + "/close").then().statusCode(200);
        String closed = export();
        assertEquals(open, closed, "closing freezes what the ledger said");
        Api.as("ada").post("/api/v1/billing/periods/" + period + "/close").then().statusCode(409);

        lateUsageAndNewPrices();
        assertEquals(closed, export(), "byte for byte the same after later usage and new prices");
        assertNotEquals(closed, Api.as("ada").get("/api/v1/billing/export?from=2026-11-01&to=2026-11-30").then().statusCode(200)
                .extract().asString(), "an open range reads the ledger as it is now");
    }

    String export() {
        return Api.as("ada").get("/api/v1/billing/export?" + NOVEMBER).then().statusCode(200).extract().asString();
    }

    @Transactional
    void lateUsageAndNewPrices() {
        Plan.update("priceServerMonth = 99");
        VirtualServer web = VirtualServer.find("hostname", "web.acme").firstResult();
        fixtures.usageHour(web, Instant.parse("2026-11-20T00:00:00Z"), 3600, 1);
    }

    static List<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }
}
