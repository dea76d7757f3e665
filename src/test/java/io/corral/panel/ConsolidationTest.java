package io.corral.panel;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.consolidation.ConsolidationPlans;
import io.corral.panel.consolidation.ConsolidationPage;
import io.corral.panel.consolidation.ConsolidationPlan;
import io.corral.panel.consolidation.Shown;
import io.corral.panel.consolidation.Window;
import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consolidation statistics from a known host ledger: a busy host, a nearly idle one and one never
 * measured; averages, percentiles, idle share, overcommit, hosts needed with headroom, windows.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConsolidationTest {
    @Inject
    Fixtures fixtures;
    @Inject
    ConsolidationPage page;
    @Inject
    ConsolidationPlans plans;
    @Inject
    io.corral.panel.consolidation.ConsolidationConfig config;
    @Inject
    DataSource db;
    @TestHTTPResource("/")
    java.net.URL panel;
    long busyId;

    @BeforeEach
    @Transactional
    void ledger() {
        fixtures.wipe();
        Host busy = fixtures.host("busy", 8, 16384, 100 * 1024);
        Host idle = fixtures.host("quiet", 8, 16384, 100 * 1024);
        fixtures.host("new", 4, 8192, 50 * 1024);
        busyId = busy.id;
        Tenant t = fixtures.tenant("acme", fixtures.plan(10, 65536, 32, 1_000_000));
        for (int i = 0; i < 4; i++) {
            VirtualServer s = fixtures.server(t, busy, "s" + i + ".acme", VirtualServer.Observed.running);
            s.cpus = BigDecimal.valueOf(4);
            s.memoryMib = 8192;
            s.diskMib = 10240;
        }
        Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        // busy: 20 hours at 0.3, 0.6 .. 6.0 cores of its 8, 8 GiB memory, 20 GiB disk; quiet: 0.2 cores
        for (int h = 1; h <= 20; h++) {
            fixtures.hostHour(busy, thisHour.minus(Duration.ofHours(h)), 0.3 * h, 8, 20);
            fixtures.hostHour(idle, thisHour.minus(Duration.ofHours(h)), 0.2, 2, 5);
        }
        // three busy hours three days ago: outside the 24 h window, inside 7 days
        for (int h = 0; h < 3; h++) {
            fixtures.hostHour(idle, thisHour.minus(Duration.ofDays(3)).minus(Duration.ofHours(h)), 7.5, 15, 50);
        }
    }

    @Test
    void perHostAndFleetOverTheLastDay() {
        JsonPath stats = Api.as("ada").get("/api/v1/consolidation?window=24h&headroom=0.25")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, stats.getInt("hosts"));
        // busy: hourly averages 0.3, 0.6 .. 6.0 cores: mean 3.15, p95 (continuous) 5.715
        assertEquals(3.15, stats.getDouble("perHost.find { it.name == 'busy' }.cpuUse.average"), 1e-6);
        assertEquals(5.715, stats.getDouble("perHost.find { it.name == 'busy' }.cpuUse.p95"), 1e-6);
        assertEquals(8.0, stats.getDouble("perHost.find { it.name == 'busy' }.memoryUseGiB.p95"), 1e-6);
        assertEquals(20.0, stats.getDouble("perHost.find { it.name == 'busy' }.diskUseGiB.average"), 1e-6);
        // 16 cores allocated on 8: overcommit 2; 32 GiB of 16: 2
        assertEquals(2.0, stats.getDouble("perHost.find { it.name == 'busy' }.overcommit.cpus"), 1e-6);
        assertEquals(2.0, stats.getDouble("perHost.find { it.name == 'busy' }.overcommit.memoryGiB"), 1e-6);
        assertEquals(4, stats.getInt("perHost.find { it.name == 'busy' }.servers"));
        // idle when below 10% of 8 cores (0.8): the hours at 0.3 and 0.6 of the busy host, all of the quiet one's
        assertEquals(0.1, stats.getDouble("perHost.find { it.name == 'busy' }.idleShare"), 1e-6);
        assertEquals(1.0, stats.getDouble("perHost.find { it.name == 'quiet' }.idleShare"), 1e-6);
        assertEquals(20.0, stats.getDouble("perHost.find { it.name == 'quiet' }.observedHours"), 1e-6);
        assertEquals(0.0, stats.getDouble("perHost.find { it.name == 'new' }.observedHours"), 1e-6);
        Api.as("ada").get("/api/v1/consolidation?window=24h").then().body("nearlyIdleHosts", contains("quiet"));
        // fleet p95: 5.715 + 0.2 cores, 10 GiB, 25 GiB; with 25% headroom 7.39 cores, 12.5 GiB, 31.25 GiB: one 8-core host
        assertEquals(5.915, stats.getDouble("p95Use.cpus"), 1e-6);
        assertEquals(5.915 * 1.25, stats.getDouble("needed.cpus"), 1e-6);
        assertEquals(1, stats.getInt("hostsNeeded"));
        // with 50% headroom 8.87 cores: two hosts
        Api.as("ada").get("/api/v1/consolidation?window=24h&headroom=0.5").then().statusCode(200).body("hostsNeeded", equalTo(2));
    }

    @Test
    void aLongerWindowTakesOlderHours() {
        // over 7 days the quiet host's busy hours three days ago count: 3 of 23 hours put its p95 at 7.5 cores
        JsonPath week = Api.as("ada").get("/api/v1/consolidation?window=7d").then().statusCode(200).extract().jsonPath();
        assertEquals(23.0, week.getDouble("perHost.find { it.name == 'quiet' }.observedHours"), 1e-6);
        assertEquals(20.0 / 23, week.getDouble("perHost.find { it.name == 'quiet' }.idleShare"), 1e-6);
        assertEquals(7.5, week.getDouble("perHost.find { it.name == 'quiet' }.cpuUse.p95"), 1e-6);
        Api.as("ada").get("/api/v1/consolidation?window=7d").then().body("nearlyIdleHosts", hasSize(0));
    }

    @Test
    void theHostChartHasAPointPerMeasuredHour() {
        Api.as("ada").get("/api/v1/hosts/" + busyId + "/usage?window=24h").then().statusCode(200)
                .body("$", hasSize(20)).body("[0].cpuCores", equalTo(6.0f)).body("[19].cpuCores", equalTo(0.3f));
        Api.as("ada").get("/api/v1/hosts/999999/usage").then().statusCode(404);
    }

    @Test
    void badParametersNameTheFieldAndOnlyAdminsSeeTheFleet() {
        Api.as("ada").get("/api/v1/consolidation?window=1y").then().statusCode(400).body("field", equalTo("window"));
        Api.as("ada").get("/api/v1/consolidation?headroom=-1").then().statusCode(400).body("field", equalTo("headroom"));
        Api.as("ada").get("/api/v1/consolidation?idleBelow=2").then().statusCode(400).body("field", equalTo("idleBelow"));
        Api.as("ada").get("/api/v1/hosts/" + busyId + "/usage?window=week").then().statusCode(400).body("field", equalTo("window"));
        TestKeycloak.get().joinTenant("gus", "acme"); // a customer of a tenant, not a user without roles
        Api.as("gus").get("/api/v1/servers").then().statusCode(200);
        Api.as("gus").get("/api/v1/consolidation").then().statusCode(403);
        Api.as("gus").get("/api/v1/hosts/" + busyId + "/usage").then().statusCode(403);
    }

    /**
     * A server with addresses moves only where its network is: the plan moves it only while every other host taking
     * servers is on that network (else it stays, and its host is kept); one with a port forward stays (the plan does not
     * place host ports).
     */
    @Test
    void aServerWithAddressesIsPlannedOnlyOntoItsNetworksHosts() {
        long small = smallServerOnTheNewHost();
        // the busy host's servers within its memory (as set up they are over it), the small server fitting beside them,
        // and their disks too large for the new host (50 GiB): only the small server's move empties a host
        Db.execute(db, "update virtual_server set cpus = 0.5, memory_mib = 512, disk_mib = 20480 where host_id = " + busyId);
        long newHost = hostId("new"), quiet = hostId("quiet");
        int network = AdminSteps.IN_PROCESS.network("""
                {"name":"plannet","kind":"private","ipv4Prefix":"198.51.100.0/24","gateway4":"198.51.100.1","resolvers":[]}""", (int) newHost,
                "{\"first\":\"198.51.100.10\",\"last\":\"198.51.100.20\"}");
        Db.execute(db, "insert into server_address (network_id, address, server_id) values (" + network + ", '198.51.100.10', " + small + ")");
        String plan = "/api/v1/consolidation/plan?window=24h&headroom=0.25";
        Api.as("ada").get(plan).then().statusCode(200).body("moves.serverId", not(hasItem((int) small)));
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + quiet).then().statusCode(200);
        Api.as("ada").get(plan).then().statusCode(200).body("moves.serverId", not(hasItem((int) small))); // busy is not on it
        Api.as("ada").put("/api/v1/networks/" + network + "/hosts/" + busyId).then().statusCode(200);
        Api.as("ada").get(plan).then().statusCode(200).body("moves", hasSize(1)).body("moves[0].serverId", equalTo((int) small))
                .body("moves[0].toHost", equalTo("busy"));
        Db.execute(db, "insert into port_forward (server_id, host_id, protocol, host_port, server_port) values (" + small + ", " + newHost + ", 'tcp', 20022, 22)");
        Api.as("ada").get(plan).then().statusCode(200).body("moves.serverId", not(hasItem((int) small)));
    }

    /**
     * The page waits for its plan only so long: while a plan cannot be made (here its hosts are locked), the page has
     * none yet; once made it is shown, and shown again for a while (%test: 2 s) rather than made anew; then a newer
     * one is made, and meanwhile the page shows the one before.
     */
    @Test
    void thePageShowsItsPlanWhenMadeAndTheOneBeforeWhileANewerIsMade() throws Exception {
        Shown<ConsolidationPlan> first = whileHostsAreLocked(() -> page.view(Window.DAY, 0.3).plan());
        assertNull(first.value(), "no plan before one is made");
        assertTrue(first.beingMade());
        AtomicReference<Shown<ConsolidationPlan>> made = new AtomicReference<>();
        Await.until("the plan made", () -> !made.updateAndGet(x -> page.view(Window.DAY, 0.3).plan()).beingMade());
        assertEquals(plans.plan(Window.DAY, 0.3).moves(), made.get().value().moves());
        assertEquals(made.get().since(), page.view(Window.DAY, 0.3).plan().since(), "shown again, not made anew");

        AtomicReference<Shown<ConsolidationPlan>> meanwhile = new AtomicReference<>();
        whileHostsAreLocked(() -> {
            Await.until("a newer plan asked for", () -> meanwhile.updateAndGet(x -> page.view(Window.DAY, 0.3).plan()).beingMade());
            return null;
        });
        assertEquals(made.get().since(), meanwhile.get().since(), "the plan before is shown while the newer one is made");
        assertEquals(made.get().value(), meanwhile.get().value());
        Await.until("the newer plan made", () -> {
            Shown<ConsolidationPlan> now = page.view(Window.DAY, 0.3).plan();
            return !now.beingMade() && now.since().isAfter(made.get().since());
        });
    }

    /**
     * The page waits (%test: 2 s) only for what may be made in that time: once a plan and the statistics took longer (their
     * hosts locked for twice that), the page does not wait for the next ones, and shows them being made at once.
     */
    @Test
    void thePageDoesNotWaitForWhatTheLastMadeSaysComesLater() throws Exception {
        madeSlowly(0.31);
        whileHostsAreLocked(() -> {
            long asked = System.nanoTime();
            ConsolidationPage.View view = page.view(Window.DAY, 0.32);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            assertTrue(view.plan().beingMade() && view.statistics().beingMade());
            assertTrue(tookMillis < 1000, "shown at once, not after the page's 2 s: " + tookMillis + " ms");
            return null;
        });
    }

    /**
     * A failure is shown, even after a making that took longer than the page waits: the making after a failed one is waited
     * for again (here the statistics' table is away, so they fail at once).
     */
    @Test
    void aFailureIsShownAfterAMakingThatTookLong() throws Exception {
        madeSlowly(0.33);
        Db.execute(db, "alter table host_hour rename to host_hour_away");
        try {
            // soon: without the making after a failure waited for, each view shows another being made, which fails unseen
            Await.until("the failure shown", Duration.ofSeconds(3), () -> {
                try {
                    page.view(Window.DAY, 0.34);
                    return false;
                } catch (IllegalStateException e) {
                    return e.getMessage().startsWith("consolidation statistics could not be made");
                }
            });
        } finally {
            Db.execute(db, "alter table host_hour_away rename to host_hour");
        }
    }

    /**
     * The page's statistics and plan for this headroom made while their hosts are locked: both held on the lock, which is
     * let go only once twice the page's wait has passed, so each took longer than the page waits.
     */
    void madeSlowly(double headroom) throws Exception {
        whileHostsAreLocked(() -> {
            long asked = System.nanoTime();
            page.view(Window.DAY, headroom);
            Await.until("the statistics and the plan held on the hosts' lock", () -> Db.number(db,
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%host%'") >= 2);
            long held = 2 * config.pageWaits().toNanos();
            Await.until("twice the page's wait with them held", () -> System.nanoTime() - asked > held);
            return null;
        });
        Await.until("made once the hosts are free", () -> !page.view(Window.DAY, headroom).plan().beingMade());
    }

    /** The page names the nearly idle hosts, the first to empty (fewer than it lists at most), once its statistics are made. */
    @Test
    void thePageNamesTheNearlyIdleHostsFirstToEmpty() {
        BrowserSession ada = new BrowserSession(panel.toString());
        assertEquals(200, ada.signIn("/admin/consolidation?window=24h", "ada", "ada-password").statusCode());
        AtomicReference<String> page = new AtomicReference<>();
        Await.until("the statistics shown", () -> !page.updateAndGet(x -> ada.open("/admin/consolidation?window=24h").body())
                .contains("id=\"fleet-being-made\""));
        assertTrue(page.get().contains("Nearly idle, so the first to empty: <b>quiet</b> — drain them"), page.get());
    }

    /**
     * One plan at a time per panel, whoever asks: a plan that cannot read the fleet (its hosts locked) holds the turn,
     * and the API's next plan waits for it (%test: 6 s), then is refused naming the rule; the first is made once the
     * hosts are free, and plans are made again after it.
     */
    @Test
    void plansWaitTheirTurnAndArePastTheWaitRefused() throws Exception {
        ExecutorService asking = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = whileHostsAreLocked(() -> {
                Future<Integer> f = asking.submit(() -> Api.as("ada").get("/api/v1/consolidation/plan?window=24h").statusCode());
                // the plan's own read of the hosts (Hibernate's alias), not another statement that waits for the table
                Await.until("the first plan waiting for the hosts", () -> Db.number(db,
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%from host h1_0%'") > 0);
                // asked on a thread of its own: a second plan made at once would wait for the hosts too, for good
                asking.submit(() -> Api.as("ada").get("/api/v1/consolidation/plan?window=7d").then().statusCode(409)
                        .body("detail", containsString("this panel makes 1 at a time"))).get(30, TimeUnit.SECONDS);
                return f;
            });
            assertEquals(200, first.get(30, TimeUnit.SECONDS), "the first plan made once the hosts are free");
        } finally {
            asking.shutdownNow();
        }
        Api.as("ada").get("/api/v1/consolidation/plan?window=7d").then().statusCode(200);
    }

    /**
     * What a plan takes is counted from when its turn came: after the page's plan waited its turn behind another (an API
     * plan held on locked hosts, longer than the page waits) and was then made at once, the page waits for its next plan.
     * Counted from when the making started, as before, the page took the wait for the plan's making and did not wait.
     */
    @Test
    void aPlansWaitForItsTurnIsNotCountedAsItsMaking() throws Exception {
        ExecutorService asking = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> api = whileHostsAreLocked(() -> {
                Future<Integer> f = asking.submit(() -> Api.as("ada").get("/api/v1/consolidation/plan?window=24h").statusCode());
                Await.until("the API's plan holding the turn, waiting for the hosts", () -> Db.number(db,
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%from host h1_0%'") > 0);
                // its plan asked for as it returns (after the statistics, which wait for the hosts), then waiting for the turn
                page.view(Window.DAY, 0.36);
                long asked = System.nanoTime();
                // past the page's wait (2 s) by a quarter of what is left of the plan's (6 s), well within that
                long held = config.pageWaits().toNanos() + (config.planWaits().toNanos() - config.pageWaits().toNanos()) / 4;
                Await.until("the turn held past the page's wait", () -> System.nanoTime() - asked > held);
                return f;
            });
            assertEquals(200, api.get(30, TimeUnit.SECONDS));
        } finally {
            asking.shutdownNow();
        }
        Await.until("the page's plan made once its turn came", () -> !page.view(Window.DAY, 0.36).plan().beingMade());
        long seen = System.nanoTime();
        Await.until("shown for its while", () -> System.nanoTime() - seen > config.pageShownFor().toNanos());

        Shown<ConsolidationPlan> next = page.view(Window.DAY, 0.36).plan();
        assertFalse(next.beingMade(), "the next plan, made at once, waited for");
    }

    /** What happens while another transaction holds the hosts' table, which a plan reads first. */
    <T> T whileHostsAreLocked(java.util.concurrent.Callable<T> what) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("lock table host in access exclusive mode");
            try {
                return what.call();
            } finally {
                c.rollback();
            }
        }
    }

    @Transactional
    long smallServerOnTheNewHost() {
        Host h = Host.find("name", "new").firstResult();
        return fixtures.server(Tenant.find("slug", "acme").firstResult(), h, "small.acme", VirtualServer.Observed.running).id;
    }

    @Transactional
    long hostId(String name) {
        return Host.<Host>find("name", name).firstResult().id;
    }

}
