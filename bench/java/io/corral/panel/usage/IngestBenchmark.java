package io.corral.panel.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.corral.panel.EmbeddedPostgresResource;
import io.corral.panel.Fixtures;
import io.corral.panel.KeycloakResource;
import io.corral.panel.Machine;
import io.corral.panel.agent.SampleRound;
import io.corral.panel.agent.SampleRound.HostSample;
import io.corral.panel.agent.SampleRound.ServerSample;
import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Ingestion of 500 servers' samples at the default 10 s interval: an hour of rounds, served by a
 * stand-in agent over HTTP as the real one serves its spool, taken by the panel's own ingestion into
 * PostgreSQL. Reported: the panel's CPU (the process less the stand-in's own) and PostgreSQL's CPU
 * per round, as a share of one core at one round every 10 s.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class IngestBenchmark {
    static final int SERVERS = 500, ROUNDS = 360, INTERVAL_SECONDS = 10;
    static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    Fixtures fixtures;
    @Inject
    UsageIngest ingest;
    final AtomicLong agentCpuNanos = new AtomicLong();

    @Test
    void fiveHundredServersEveryTenSeconds() throws Exception {
        List<Long> ids = new ArrayList<>();
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        long start = System.currentTimeMillis() - (long) ROUNDS * INTERVAL_SECONDS * 1000;
        agent.createContext("/v1/samples", exchange -> {
            long t0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            String query = exchange.getRequestURI().getQuery();
            long after = Long.parseLong(query.replaceAll(".*after=(\\d+).*", "$1"));
            int limit = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
            List<SampleRound> rounds = new ArrayList<>();
            for (long seq = after + 1; seq <= Math.min(after + limit, ROUNDS); seq++) {
                rounds.add(round(seq, start + (seq - 1) * INTERVAL_SECONDS * 1000, ids));
            }
            byte[] body = JSON.writeValueAsBytes(rounds);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            agentCpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0);
        });
        agent.start();
        try {
            Host host = setUp("http://127.0.0.1:" + agent.getAddress().getPort(), ids);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long process0 = os.getProcessCpuTime(), pg0 = postgresCpuNanos(), t0 = System.nanoTime();
            int samples = ingest.ingest(host);
            double wall = (System.nanoTime() - t0) / 1e9;
            double panel = (os.getProcessCpuTime() - process0 - agentCpuNanos.get()) / 1e9, pg = (postgresCpuNanos() - pg0) / 1e9;
            if (samples != SERVERS * ROUNDS) {
                throw new IllegalStateException("ingested " + samples + " server samples");
            }
            System.out.printf("""

                    ## Ingestion: %d servers, %d rounds (an hour at %d s) (%s)
                    | what | value |
                    | --- | --- |
                    | server samples ingested | %,d in %.1f s |
                    | panel CPU (process less the stand-in agent) | %.2f s: %.1f ms per round, %.2f%% of a core at one round per %d s |
                    | PostgreSQL CPU (all its processes) | %.2f s: %.1f ms per round, %.2f%% of a core |

                    """, SERVERS, ROUNDS, INTERVAL_SECONDS, Machine.describe(), samples, wall,
                    panel, panel * 1000 / ROUNDS, panel / ROUNDS / INTERVAL_SECONDS * 100, INTERVAL_SECONDS,
                    pg, pg * 1000 / ROUNDS, pg / ROUNDS / INTERVAL_SECONDS * 100);
        } finally {
            agent.stop(0);
        }
    }

    @Transactional
    Host setUp(String agentUrl, List<Long> ids) {
        fixtures.wipe();
        Host host = fixtures.host("bench", 64, 1 << 20, 100 << 20);
        host.agentUrl = agentUrl;
        Tenant tenant = fixtures.tenant("bench", fixtures.plan(SERVERS, 1 << 24, 4096, 1 << 30));
        for (int i = 0; i < SERVERS; i++) {
            ids.add(fixtures.server(tenant, host, "s" + i + ".bench", VirtualServer.Observed.running).id);
        }
        return host;
    }

    /** A round as an agent with these servers, each busy a little, would have spooled it. */
    static SampleRound round(long seq, long at, List<Long> ids) {
        List<ServerSample> servers = new ArrayList<>(ids.size());
        for (Long id : ids) {
            servers.add(new ServerSample(id.toString(), true, "boot/" + id, seq * 150_000_000L, 200L << 20, 256L << 20, 12, 0,
                    seq * 1_000_000L, 0, 900L << 20, seq * 2000, seq * 100, 0, seq * 30_000L, seq * 10_000L));
        }
        return new SampleRound(seq, at, new HostSample(seq * 500, seq * 2000, 1.5, 40L << 30, 20L << 30, ids.size()), servers);
    }

    /** CPU time of every postgres process, with what its ended children used. */
    static long postgresCpuNanos() throws Exception {
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (!stat.contains("(postgres)")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } catch (java.io.IOException ended) {
                    // gone meanwhile
                }
            }
        }
        return ticks * 10_000_000L; // USER_HZ 100
    }
}
