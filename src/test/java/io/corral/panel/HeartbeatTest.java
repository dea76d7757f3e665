package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.audit.AuditEvent;
import io.corral.panel.heartbeat.Heartbeat;
import io.corral.panel.host.Host;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A host whose agent goes silent is marked down and its servers unknown; when it answers again, both
 * come back; a server stopped behind the panel's back is reported as drift.
 */
@QuarkusTest
@TestProfile(WorkerOnProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HeartbeatTest extends WithRealAgent {
    @Inject
    Heartbeat heartbeat;
    @Inject
    io.corral.panel.heartbeat.HeartbeatSteps steps;
    @Inject
    io.corral.panel.host.HostRounds rounds;
    @Inject
    javax.sql.DataSource db;
    @TestHTTPResource("/")
    java.net.URL panel;

    /** Two panels on one database: the first to come for a host's heartbeat or usage has it for most of the interval. */
    @Test
    void aHostsRoundIsTakenByOnePanelAnInterval() {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        long hostId = admin.host("shared", agent);
        var heartbeat = io.corral.panel.host.HostRounds.Round.heartbeat;
        assertEquals(List.of(hostId), visited(heartbeat));
        assertEquals(List.of(), visited(heartbeat), "taken: the other panel asks no host this interval");
        assertEquals(List.of(hostId), visited(io.corral.panel.host.HostRounds.Round.usage), "each round is claimed on its own");
        intervalPassed();
        assertEquals(List.of(hostId), visited(heartbeat), "once the claim is over, whoever comes first has the host again");
    }

    /** Two panels' rounds at the same moment, over more hosts than either asks at once: every host is asked, once. */
    @Test
    void twoPanelsAtOnceShareTheHosts() throws Exception {
        List<Long> hosts = manyHosts(100);
        List<Long> visited = new CopyOnWriteArrayList<>();
        Runnable panel = () -> rounds.run(io.corral.panel.host.HostRounds.Round.heartbeat, "1h", h -> visited.add(h.id));
        var executor = Executors.newFixedThreadPool(2);
        try {
            var first = executor.submit(panel);
            var second = executor.submit(panel);
            first.get(1, TimeUnit.MINUTES);
            second.get(1, TimeUnit.MINUTES);
        } finally {
            executor.shutdownNow();
        }
        assertEquals(hosts, visited.stream().sorted().toList(), "each host once");
    }

    /**
     * A panel claiming while another holds claims it is taking (their rows locked) does not wait for it: it asks the
     * other hosts at once, and the held ones once they are free again.
     */
    @Test
    void aPanelSkipsTheHostsAnotherIsClaimingNow() throws Exception {
        List<Long> hosts = manyHosts(40);
        var heartbeat = io.corral.panel.host.HostRounds.Round.heartbeat;
        assertEquals(hosts, visited(heartbeat).stream().sorted().toList(), "every host has its claim row");
        intervalPassed();
        List<Long> held = hosts.subList(0, 20), free = hosts.subList(20, 40);
        CountDownLatch locked = new CountDownLatch(1), done = new CountDownLatch(1);
        var executor = Executors.newSingleThreadExecutor();
        try {
            var other = executor.submit(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
                Host.getEntityManager().createNativeQuery("select host_id from host_round where round = 'heartbeat' and host_id = any(cast(:ids as bigint[])) for update")
                        .setParameter("ids", held.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}")))
                        .getResultList();
                locked.countDown();
                try {
                    done.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(locked.await(1, TimeUnit.MINUTES), "the other panel holds its claims");
            // a round that waited for the locks would not end before the other panel's transaction
            assertEquals(free, visitedWithin(heartbeat, 30).stream().sorted().toList(),
                    "the free hosts, at once");
            done.countDown();
            other.get(1, TimeUnit.MINUTES);
            assertEquals(held, visited(heartbeat).stream().sorted().toList(), "the held ones once free");
        } finally {
            done.countDown();
            executor.shutdownNow();
        }
    }

    /** An agent slow to answer: its claim runs out meanwhile, but the panel asking it does not ask it a second time. */
    @Test
    void aHostStillBeingAskedIsNotAskedAgain() throws Exception {
        long hostId = AdminSteps.IN_PROCESS.host("slow", agent);
        var heartbeat = io.corral.panel.host.HostRounds.Round.heartbeat;
        CountDownLatch asked = new CountDownLatch(1), answered = new CountDownLatch(1);
        var gaveUp = new java.util.concurrent.atomic.AtomicBoolean();
        // the first round claims again until none is left: once its host has answered, and its claim is over, it may take it
        // again itself (its next claim waiting up to 100 ms for more threads free), before a new round does
        List<Long> firstAsked = new CopyOnWriteArrayList<>();
        var executor = Executors.newSingleThreadExecutor();
        try {
            var first = executor.submit(() -> rounds.run(heartbeat, "1h", h -> {
                firstAsked.add(h.id);
                asked.countDown();
                try {
                    gaveUp.set(!answered.await(10, TimeUnit.MINUTES));
                } catch (InterruptedException e) {
                    gaveUp.set(true);
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(asked.await(1, TimeUnit.MINUTES), "asked");
            intervalPassed();
            long before = System.nanoTime();
            List<Long> again = visited(heartbeat);
            assertEquals(List.of(), again, "still being asked: not asked again (the second round took "
                    + (System.nanoTime() - before) / 1_000_000 + " ms; the first had stopped waiting: " + gaveUp.get() + ")");
            answered.countDown();
            first.get(1, TimeUnit.MINUTES);
            List<Long> afterAnswer = new ArrayList<>(firstAsked.subList(1, firstAsked.size()));
            afterAnswer.addAll(visited(heartbeat));
            assertEquals(List.of(hostId), afterAnswer, "answered, its claim over: asked again, by the first round or a new one");
        } finally {
            answered.countDown();
            executor.shutdownNow();
        }
    }

    /** A claim that fails (the database refusing it a moment) gives back the round's threads: the next round asks every host. */
    @Test
    void aClaimThatFailsGivesBackTheRoundsThreads() throws Exception {
        List<Long> hosts = manyHosts(40);
        var heartbeat = io.corral.panel.host.HostRounds.Round.heartbeat;
        Db.execute(db, "create function refuse_claims() returns trigger language plpgsql as $$ begin raise exception 'claims refused'; end $$");
        Db.execute(db, "create trigger refuse_claims before update on host_round for each row execute function refuse_claims()");
        try {
            assertThrows(RuntimeException.class, () -> visited(heartbeat), "the claim failed");
        } finally {
            Db.execute(db, "drop trigger refuse_claims on host_round");
            Db.execute(db, "drop function refuse_claims()");
        }
        assertEquals(hosts, visitedWithin(heartbeat, 30).stream().sorted().toList(), "every host asked, at once");
    }

    List<Long> visited(io.corral.panel.host.HostRounds.Round round) {
        List<Long> visited = new CopyOnWriteArrayList<>();
        rounds.run(round, "1h", h -> visited.add(h.id));
        return visited;
    }

    /** As {@link #visited}, failing if the round has not ended within seconds. */
    List<Long> visitedWithin(io.corral.panel.host.HostRounds.Round round, int seconds) throws Exception {
        var executor = Executors.newSingleThreadExecutor();
        try {
            return executor.submit(() -> visited(round)).get(seconds, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * The rounds' heartbeat reads a host's servers every beat and its facts once a minute: facts changed behind the panel's
     * back (here in its row) stay until then, while the host is heard at each beat; a minute after the facts were taken, as
     * the host's row records it for every panel, they are read again; a host down is read whole at once.
     */
    @Test
    void theRoundsReadAHostsFactsOnceAMinute() {
        long hostId = AdminSteps.IN_PROCESS.host("facts", agent);
        var round = io.corral.panel.host.HostRounds.Round.heartbeat;
        rounds.run(round, "1h", heartbeat::beatInRound);
        String kernel = host(hostId).kernel;
        java.time.OffsetDateTime taken = host(hostId).factsTakenAt;
        assertNotNull(taken, "when the facts were taken is kept with the host");
        setKernel(hostId, "not-what-the-agent-says");
        intervalPassed();
        java.time.OffsetDateTime before = host(hostId).lastHeartbeat;
        rounds.run(round, "1h", heartbeat::beatInRound);
        assertEquals("not-what-the-agent-says", host(hostId).kernel, "facts not read again within the minute");
        assertTrue(host(hostId).lastHeartbeat.isAfter(before), "but the host was heard");
        assertEquals(taken, host(hostId).factsTakenAt);
        factsTakenMinutesAgo(hostId, 2);
        intervalPassed();
        rounds.run(round, "1h", heartbeat::beatInRound);
        assertEquals(kernel, host(hostId).kernel, "facts read again once their minute has passed");
        assertTrue(host(hostId).factsTakenAt.isAfter(taken));
        setKernel(hostId, "not-what-the-agent-says");
        markDown(hostId);
        intervalPassed();
        rounds.run(round, "1h", heartbeat::beatInRound);
        assertEquals(kernel, host(hostId).kernel, "a host that was down is read whole");
        assertEquals(Host.Status.up, host(hostId).status);
    }

    @jakarta.transaction.Transactional
    void setKernel(long hostId, String kernel) {
        Host.update("kernel = ?1 where id = ?2", kernel, hostId);
    }

    @jakarta.transaction.Transactional
    void factsTakenMinutesAgo(long hostId, int minutes) {
        Host.update("factsTakenAt = ?1 where id = ?2", java.time.OffsetDateTime.now().minusMinutes(minutes), hostId);
    }

    @jakarta.transaction.Transactional
    void markDown(long hostId) {
        Host.update("status = ?1 where id = ?2", Host.Status.down, hostId);
    }

    /** Hosts that are only rows: the rounds above ask none of them anything. */
    @jakarta.transaction.Transactional
    @SuppressWarnings("unchecked")
    List<Long> manyHosts(int count) {
        return ((List<Number>) Host.getEntityManager().createNativeQuery("""
                insert into host (name, agent_url, secret) select 'row-' || n, 'https://192.0.2.1:9', 'unused-secret-0123456789'
                from generate_series(1, :count) n returning id""").setParameter("count", count).getResultList())
                .stream().map(Number::longValue).sorted().toList();
    }

    @jakarta.transaction.Transactional
    void intervalPassed() {
        Host.getEntityManager().createNativeQuery("update host_round set claimed_until = now() - interval '1 second'").executeUpdate();
    }

    @Test
    void aSilentHostGoesDownAndComesBack() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("hb", 2), "cleo");
        int hostId = admin.host("beating", agent);
        int id = Await.runningServer("cleo", "hb1");

        agent.kill();
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.up, host(hostId).status, "one missed beat is not yet down");
        lastHeardLongAgo(hostId);
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.down, host(hostId).status);
        Api.as("cleo").get("/api/v1/servers/" + id).then().statusCode(200)
                .body("observedState", org.hamcrest.Matchers.equalTo("unknown"));

        agent.startAgain();
        heartbeat.beat(host(hostId));
        assertEquals(Host.Status.up, host(hostId).status);
        Api.as("cleo").get("/api/v1/servers/" + id).then()
                .body("observedState", org.hamcrest.Matchers.equalTo("running"));
        assertEquals(1, AuditEvent.count("action", "host.down"));
        assertEquals(1, AuditEvent.count("action", "host.up"));

        // stopped behind the panel's back: the scheduled beat (the facts were read a moment ago, so it reads the servers
        // alone, and takes the quick way when nothing changed) sees it, and the reconciliation reports the drift
        heartbeat.beatInRound(host(hostId));
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("observedState", org.hamcrest.Matchers.equalTo("running"));
        assertEquals(200, agent.post("/v1/servers/" + id + "/stop").statusCode());
        heartbeat.beatInRound(host(hostId));
        Api.as("cleo").get("/api/v1/servers/" + id).then()
                .body("observedState", org.hamcrest.Matchers.equalTo("stopped")).body("desiredState", org.hamcrest.Matchers.equalTo("running"));
        assertEquals(1, AuditEvent.count("action = ?1 and target = ?2", "server.drift", "server/" + id));
    }

    /**
     * Limits changed on the host behind the panel's back (or by a change that reached the agent after the panel had given
     * it up): the beat audits the drift and queues the panel's limits again, which the agent then holds; a beat finding
     * them as recorded, or while an operation of the server may have changed them since it asked, queues nothing.
     */
    @Test
    void limitsChangedBehindThePanelsBackAreSentAgain() throws Exception {
        Drifting server = drifting("held");
        heartbeat.beat(host(server.host()));
        assertEquals(0, repairs(server.id()), "as recorded: nothing queued");

        changeOnHost(server.id(), "{\"memoryMiB\": " + (server.memory() + 32) + "}");
        heartbeat.beatInRound(host(server.host()));
        assertEquals(0, repairs(server.id()), "the beats between those that read the host's facts do not compare limits");
        operationJustEnded(server.id());
        heartbeat.beat(host(server.host()));
        assertEquals(0, repairs(server.id()), "not while an operation of the server may have ended since the beat asked");
        operationsLongAgo(server.id());
        heartbeat.beat(host(server.host()));
        assertEquals(1, repairs(server.id()), "the panel's limits queued again");
        AuditEvent drift = AuditEvent.find("action = ?1 and target = ?2", "server.limits-drift", "server/" + server.id()).singleResult();
        assertTrue(drift.details.contains("\"memoryMiB\":" + (server.memory() + 32)), drift.details);
        Await.operation(lastRepair(server.id()), "succeeded");
        assertEquals(server.memory(), held(server.id()).get("memoryMiB").asLong(), "the agent holds the panel's limits again");
        Api.as("cleo").get("/api/v1/servers/" + server.id()).then().body("limits.memoryMiB", org.hamcrest.Matchers.equalTo((int) server.memory()));

        changeOnHost(server.id(), "{\"pids\": 99}");
        operationsLongAgo(server.id());
        heartbeat.beat(host(server.host()));
        assertEquals(2, repairs(server.id()), "changed again: sent again");
    }

    /**
     * A server whose agent failed to put a change on it and then to put back what it had (a kernel refusing a cgroup file
     * both times) may hold some of each, which its agent says: its limits are sent again, though they read as the panel's.
     */
    @Test
    void limitsInDoubtAreSentAgain() throws Exception {
        Drifting server = drifting("doubt");
        try (AutoCloseable refused = agent.refusingWrites(server.id(), "pids", "pids.max")) {
            assertNotEquals(200, agent.sendJson("PUT", "/v1/servers/" + server.id() + "/limits", "{\"pids\": 99}").statusCode());
        }
        assertTrue(agentsView(server.id()).get("limitsInDoubt").asBoolean());
        assertEquals(server.memory(), held(server.id()).get("memoryMiB").asLong(), "its limits read as the panel's");
        heartbeat.beat(host(server.host()));
        assertEquals(1, repairs(server.id()), "the panel's limits queued again");
        Await.operation(lastRepair(server.id()), "succeeded");
        assertFalse(agentsView(server.id()).get("limitsInDoubt").asBoolean(), "held to them whole again");
    }

    /** A running server's disk, which its agent resizes only while it is stopped: kept by a repair, put back once stopped. */
    @Test
    void aRunningServersDiskIsPutBackOnceItIsStopped() throws Exception {
        Drifting server = drifting("disk");
        assertEquals(200, agent.post("/v1/servers/" + server.id() + "/stop").statusCode());
        changeOnHost(server.id(), "{\"diskMiB\": 256, \"memoryMiB\": " + (server.memory() + 32) + "}");
        assertEquals(200, agent.post("/v1/servers/" + server.id() + "/start").statusCode());
        heartbeat.beat(host(server.host()));
        Await.operation(lastRepair(server.id()), "succeeded");
        assertEquals(server.memory(), held(server.id()).get("memoryMiB").asLong(), "memory put back while it runs");
        assertEquals(256, held(server.id()).get("diskMiB").asLong(), "its disk kept while it runs");
        operationsLongAgo(server.id());
        heartbeat.beat(host(server.host()));
        assertEquals(1, repairs(server.id()), "nothing else differs while it runs");

        int stop = Api.as("cleo").post("/api/v1/servers/" + server.id() + "/stop").then().statusCode(202).extract().path("id");
        Await.operation(stop, "succeeded");
        operationsLongAgo(server.id());
        heartbeat.beat(host(server.host()));
        Await.operation(lastRepair(server.id()), "succeeded");
        assertEquals(2, repairs(server.id()));
        assertEquals(128, held(server.id()).get("diskMiB").asLong(), "the panel's disk once stopped");
    }

    /**
     * A repair the host refuses (here as an operation older than the last it had, one further on than the panel follows a
     * host) is not sent again for a day while the host holds the same limits.
     */
    @Test
    void aRepairTheHostRefusesIsNotSentAgainForADay() throws Exception {
        Drifting server = drifting("refused");
        changeOnHost(server.id(), "{\"memoryMiB\": " + (server.memory() + 32) + "}", 999_999_999);
        operationsLongAgo(server.id());
        heartbeat.beat(host(server.host()));
        Await.operation(lastRepair(server.id()), "failed");
        operationsLongAgo(server.id());
        Db.execute(db, "update operation set created_at = now() - interval '23 hours' where server_id = " + server.id()
                + " and requested_by = 'heartbeat'");
        heartbeat.beat(host(server.host()));
        assertEquals(1, repairs(server.id()), "refused within the day: not sent again");
        Db.execute(db, "update operation set created_at = now() - interval '25 hours' where server_id = " + server.id()
                + " and requested_by = 'heartbeat'");
        heartbeat.beat(host(server.host()));
        assertEquals(2, repairs(server.id()), "a day on: sent again");
    }

    /**
     * A host that had later operations than this panel has given out (its database restored to an earlier point, whose ids
     * count from there again): the next ids come after them, so a change of limits is not refused as older than the
     * last the server had. One further on than a host may move them is not followed, nor one the same host reports
     * within the hour of a move.
     */
    @Test
    void operationIdsMovePastTheLastAHostHad() throws Exception {
        Drifting server = drifting("restored");
        long current = Db.number(db, "select last_value from operation_id_seq");
        assertEquals(201, agent.postJson("/v1/servers", "{\"id\":\"far\",\"hostname\":\"far\",\"template\":\"busybox\","
                + "\"limits\":{\"memoryMiB\":32,\"diskMiB\":64}}").statusCode());
        assertEquals(200, agent.sendJson("PUT", "/v1/servers/far/limits?operation=" + (current + 200_000_000L), "{}").statusCode());
        heartbeat.beatInRound(host(server.host()));
        assertEquals(current, Db.number(db, "select last_value from operation_id_seq"), "not moved so far on");

        long last = current + 5000;
        changeOnHost(server.id(), "{}", last);
        heartbeat.beatInRound(host(server.host()));
        int change = Api.as("cleo").body("{\"pids\":100}").put("/api/v1/servers/" + server.id() + "/limits").then().statusCode(202)
                .extract().path("id");
        assertTrue(change > last, "operation " + change + " after the host's " + last);
        Await.operation(change, "succeeded");
        assertEquals(1, AuditEvent.count("action", "operation.ids-moved"));

        long soon = change + 1000;
        changeOnHost(server.id(), "{}", soon);
        heartbeat.beatInRound(host(server.host()));
        assertTrue(Db.number(db, "select last_value from operation_id_seq") < soon, "not moved again within the hour by the same host");
    }

    /** A running server of its own tenant and host, its operations long ended; memory: what the panel records. */
    private record Drifting(int id, int host, long memory) {
    }

    private Drifting drifting(String name) {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("hb-" + name, 1), "cleo");
        int hostId = admin.host(name, agent);
        int id = Await.runningServer("cleo", name);
        operationsLongAgo(id);
        return new Drifting(id, hostId, Api.as("cleo").get("/api/v1/servers/" + id).then().extract().jsonPath().getLong("limits.memoryMiB"));
    }

    /** Limits changed on the host, not through the panel (as its command line does). */
    private void changeOnHost(int id, String limits) throws Exception {
        assertEquals(200, agent.sendJson("PUT", "/v1/servers/" + id + "/limits", limits).statusCode());
    }

    /** Limits changed on the host by an operation of a panel, numbered operation. */
    private void changeOnHost(int id, String limits, long operation) throws Exception {
        assertEquals(200, agent.sendJson("PUT", "/v1/servers/" + id + "/limits?operation=" + operation, limits).statusCode());
    }

    private com.fasterxml.jackson.databind.JsonNode held(int id) throws Exception {
        return agentsView(id).get("limits");
    }

    private com.fasterxml.jackson.databind.JsonNode agentsView(int id) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.get("/v1/servers/" + id).body());
    }

    private long repairs(int id) {
        return Db.number(db, "select count(*) from operation where server_id = " + id + " and requested_by = 'heartbeat' and kind = 'limits'");
    }

    private int lastRepair(int id) {
        return (int) Db.number(db, "select max(id) from operation where server_id = " + id + " and requested_by = 'heartbeat'");
    }

    /** Every operation of the server created and ended two hours ago: settled. */
    private void operationsLongAgo(int id) {
        Db.execute(db, "update operation set created_at = now() - interval '2 hours', finished_at = now() - interval '2 hours'"
                + " where server_id = " + id + " and finished_at is not null");
    }

    /** The server's create ended now: the agent's answer to a beat asking before may predate what it did. */
    private void operationJustEnded(int id) {
        Db.execute(db, "update operation set finished_at = now() where server_id = " + id + " and kind = 'create'");
    }

    /**
     * An agent reporting a state this panel does not know (a newer agent, or one gone wrong) still answered: the host is heard
     * and that server's state is unknown. The beat used to fail whole, so the host was neither heard nor ever marked down.
     */
    @Test
    void aStateThePanelDoesNotKnowReadsAsUnknownAndTheHostIsStillHeard() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Odd", "odd", admin.plan("odd", 1), "cleo");
        int hostId = admin.host("odd", agent);
        int id = Await.runningServer("cleo", "odd1");
        java.time.OffsetDateTime before = host(hostId).lastHeartbeat;
        steps.answered(hostId, null, Map.of(Integer.toString(id), new io.corral.panel.agent.ServerState(Integer.toString(id), "hibernating", null, false, null, null, false)));
        java.time.OffsetDateTime after = host(hostId).lastHeartbeat;
        assertNotNull(after, "the host was heard");
        assertTrue(before == null || after.isAfter(before), "the host was heard");
        assertEquals(Host.Status.up, host(hostId).status);
        Api.as("cleo").get("/api/v1/servers/" + id).then().body("observedState", org.hamcrest.Matchers.equalTo("unknown"));
    }

    @Test
    void theHeartbeatTellsWhichServersRunWithoutAUserNamespaceOfTheirOwn() throws Exception {
        AdminSteps admin = AdminSteps.IN_PROCESS;
        admin.tenant("Acme", "acme", admin.plan("hb-users", 2), "cleo");
        int ownRanges = admin.host("ranges", agent);
        int shop = Await.runningServer("cleo", "shop");
        heartbeat.beat(host(ownRanges));
        Api.as("cleo").get("/api/v1/servers/" + shop).then().body("ownUserNamespace", org.hamcrest.Matchers.equalTo(true));

        try (RealAgent off = RealAgent.start("--user-namespaces=off")) {
            Api.as("ada").contentType(io.restassured.http.ContentType.JSON).body("{\"draining\":true}")
                    .patch("/api/v1/hosts/" + ownRanges).then().statusCode(200);
            int offHost = admin.host("no-ranges", off);
            int legacy = Await.runningServer("cleo", "legacy");
            heartbeat.beat(host(offHost));
            Api.as("cleo").get("/api/v1/servers/" + legacy).then().body("ownUserNamespace", org.hamcrest.Matchers.equalTo(false));
            Api.as("ada").get("/api/v1/hosts/" + offHost).then().body("userNamespaces", org.hamcrest.Matchers.equalTo(false))
                    .body("userNamespacesUnavailable", org.hamcrest.Matchers.containsString("turned off"))
                    .body("serversWithoutUserNamespace", org.hamcrest.Matchers.equalTo(1));
            Api.as("ada").get("/api/v1/hosts/" + ownRanges).then().body("serversWithoutUserNamespace", org.hamcrest.Matchers.equalTo(0));

            BrowserSession ada = new BrowserSession(panel.toString());
            String page = ada.signIn("/admin/hosts/" + offHost, "ada", "ada-password").body();
            assertTrue(page.contains("Servers without a user namespace of their own") && page.contains("legacy"), page);
            assertTrue(ada.open("/admin/hosts").body().contains("1 server(s) run without"));
            assertTrue(!ada.open("/admin/hosts/" + ownRanges).body().contains("Servers without a user namespace"));
            int destroy = Api.as("cleo").delete("/api/v1/servers/" + legacy).then().statusCode(202).extract().path("id");
            Await.operation(destroy, "succeeded");
        }
    }
}
