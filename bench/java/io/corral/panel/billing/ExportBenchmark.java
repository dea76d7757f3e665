package io.corral.panel.billing;

import io.corral.panel.EmbeddedPostgresResource;
import io.corral.panel.Fixtures;
import io.corral.panel.HeapWatch;
import io.corral.panel.KeycloakResource;
import io.corral.panel.TestKeycloak;
import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The CSV export of 1,000,000 ledger rows (1,000 servers × 1,000 hours, hourly lines) through the
 * panel's API, timed against PostgreSQL's own COPY of the same query TO STDOUT as CSV in the same
 * run, with the heap the export keeps. Goal: within 2× of COPY, heap growth under 64 MiB.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ExportBenchmark {
    static final int SERVERS = 1000, HOURS = 1000, RUNS = 3;
    static final String FROM = "2026-01-01", TO = "2026-02-12"; // 42 days: the 1,000 hours and a little more
    @Inject
    Fixtures fixtures;
    @Inject
    DataSource db;
    @TestHTTPResource("/")
    URL panel;

    @Test
    void exportAgainstCopy() throws Exception {
        ledger();
        String token = TestKeycloak.get().token("ada");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(panel + "api/v1/billing/export?format=csv&granularity=hour&from="
                + FROM + "&to=" + TO)).header("Authorization", "Bearer " + token).build();
        String copy = "COPY (" + BillingLines.LIVE.replace("?1", "'" + FROM + " 00:00+00'::timestamptz")
                .replace("?2", "'" + TO + " 00:00+00'::timestamptz").replace("?3", "0").replace("?4", "'hour'")
                + ") TO STDOUT WITH (FORMAT csv, HEADER)";
        List<Double> exportSeconds = new ArrayList<>(), copySeconds = new ArrayList<>();
        long exportBytes = 0, copyBytes = 0;
        for (int run = 0; run < RUNS; run++) {
            long t0 = System.nanoTime();
            exportBytes = export(http, request);
            exportSeconds.add((System.nanoTime() - t0) / 1e9);

            CountingSink copied = new CountingSink();
            long t1 = System.nanoTime();
            try (Connection c = db.getConnection()) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, copied);
            }
            copySeconds.add((System.nanoTime() - t1) / 1e9);
            copyBytes = copied.bytes;
        }
        long growth, collections;
        try (HeapWatch heap = new HeapWatch()) { // a run of its own: the forced collections slow it down
            export(http, request);
            growth = heap.growth();
            collections = heap.collections();
        }
        double export = median(exportSeconds), pgCopy = median(copySeconds);
        System.out.printf("""

                ## Billing export: %,d ledger rows as CSV (%s)
                | what | median of %d runs | output |
                | --- | --- | --- |
                | panel API, GET /api/v1/billing/export?format=csv&granularity=hour | %.2f s | %,d bytes |
                | PostgreSQL COPY (same query) TO STDOUT (FORMAT csv) | %.2f s | %,d bytes |
                | export / COPY | %.2f× | goal ≤ 2× |
                | heap kept during an export (most in use after a full GC, each second, less before; %d GCs) | %.1f MiB | goal < 64 MiB |

                """, SERVERS * HOURS, io.corral.panel.Machine.describe(), RUNS, export, exportBytes, pgCopy, copyBytes,
                export / pgCopy, collections, growth / 1024.0 / 1024);
    }

    void ledger() throws Exception {
        fixtures.wipe();
        Host host = fixtures.host("bench", 64, 1 << 20, 100 << 20);
        Tenant tenant = fixtures.tenant("bench", fixtures.plan(SERVERS, 1 << 24, 4096, 1 << 30));
        for (int i = 0; i < SERVERS; i++) {
            fixtures.server(tenant, host, "s" + i + ".bench", VirtualServer.Observed.running);
        }
        try (Connection c = db.getConnection(); var s = c.createStatement()) {
            s.execute("""
                    insert into usage_hour (server_id, tenant_id, hour, cpu_seconds, memory_gib_hours, disk_gib_hours, uptime_hours,
                        samples, observed_hours, host_id, network_in_bytes, network_out_bytes)
                    select v.id, v.tenant_id, timestamptz '2026-01-01 00:00+00' + g * interval '1 hour', random() * 3600, 0.5, 1.25, 1,
                        360, 1, v.host_id, (random() * 2147483648)::bigint, (random() * 2147483648)::bigint
                    from virtual_server v, generate_series(0, %d) g""".formatted(HOURS - 1));
            // metered, so every line counts its month's traffic against an allowance: about 1 GiB sent an hour passes 1,024 GiB
            s.execute("update plan set server_included_traffic_gib = 1024, price_traffic_overage_gib = 0.01");
            s.execute("analyze usage_hour");
        }
    }

    /** One export through the API, read to its end and thrown away; returns its size. */
    static long export(HttpClient http, HttpRequest request) throws Exception {
        CountingSink sink = new CountingSink();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("export answered " + response.statusCode());
        }
        try (InputStream body = response.body()) {
            body.transferTo(sink);
        }
        if (sink.lines != SERVERS * HOURS + 1) {
            throw new IllegalStateException("the export has " + sink.lines + " lines");
        }
        return sink.bytes;
    }

    static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Counts what it is given, keeping nothing. */
    static final class CountingSink extends OutputStream {
        long bytes, lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
