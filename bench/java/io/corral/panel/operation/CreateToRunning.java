package io.corral.panel.operation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * create → running, through the panel against the agent alone, on kept-alive connections so neither
 * side pays for a client's start or a TLS handshake per call. Run by bench/panel.sh as a single-file
 * program: java CreateToRunning.java PANEL AGENT ROUNDS, with the customer's Authorization header in
 * PANEL_AUTHORIZATION and the agent's secret in AGENT_SECRET (the environment, which ps does not show).
 * Prints one line per round after ten unrecorded ones: when the order was sent (epoch ms), the
 * panel's answer to it in ms, agent-alone ms, and the panel's server id.
 */
public final class CreateToRunning {
    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");
    /**
     * Polling only says when to go on: the time to running is the panel's own record (the create
     * operation's finish), as polling fast enough to time it would take CPU from the agent's work.
     */
    private static final long POLL_MS = 20;
    private static final int WARM_UP = 10;

    public static void main(String[] args) throws Exception {
        String panel = args[0], agent = args[1];
        int rounds = Integer.parseInt(args[2]);
        String customer = System.getenv("PANEL_AUTHORIZATION");
        String bearer = "Bearer " + System.getenv("AGENT_SECRET");
        HttpClient toPanel = HttpClient.newHttpClient();
        HttpClient toAgent = HttpClient.newBuilder().sslContext(trustingLoopbackAgent()).build();
        send(toAgent, get(agent + "/v1/host", bearer)); // the connection is open before the first round
        send(toPanel, get(panel + "/api/v1/servers?size=1", customer));
        // The first rounds warm both sides up (class loading, JIT), as wrk's warm-up does for the lists.
        for (int i = 1; i <= WARM_UP + rounds; i++) {
            long sent = System.currentTimeMillis(), t0 = System.nanoTime();
            String created = send(toPanel, post(panel + "/api/v1/servers", customer,
                    "{\"hostname\":\"bench" + i + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"cpus\":0.1,\"diskMiB\":64}"));
            long answered = System.nanoTime();
            Matcher m = ID.matcher(created);
            if (!m.find()) {
                throw new IllegalStateException("no server id in " + created);
            }
            String id = m.group(1);
            while (!send(toPanel, get(panel + "/api/v1/servers/" + id, customer)).contains("\"observedState\":\"running\"")) {
                Thread.sleep(POLL_MS);
            }
            send(toPanel, HttpRequest.newBuilder(URI.create(panel + "/api/v1/servers/" + id)).header("Authorization", customer).DELETE().build());
            while (!destroyed(toPanel.send(get(panel + "/api/v1/servers/" + id, customer), HttpResponse.BodyHandlers.ofString()))) {
                Thread.sleep(POLL_MS); // the agent is left to the next round alone
            }

            long a0 = System.nanoTime();
            send(toAgent, post(agent + "/v1/servers", bearer, "{\"id\":\"direct" + i + "\",\"hostname\":\"direct" + i
                    + "\",\"template\":\"busybox\",\"limits\":{\"memoryMiB\":64,\"cpus\":0.1,\"diskMiB\":64},\"start\":true}"));
            long a1 = System.nanoTime();
            send(toAgent, HttpRequest.newBuilder(URI.create(agent + "/v1/servers/direct" + i)).header("Authorization", bearer).DELETE().build());
            if (i > WARM_UP) {
                System.out.printf("%d %d %d %s%n", sent, ms(answered - t0), ms(a1 - a0), id);
            }
        }
    }

    private static boolean destroyed(HttpResponse<String> server) {
        return server.statusCode() == 404 || server.body().contains("\"observedState\":\"destroyed\"");
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static HttpRequest get(String url, String auth) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build();
    }

    private static HttpRequest post(String url, String auth, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String send(HttpClient client, HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The bench's own agent on loopback, whose certificate the panel pins; the bench does not check it. */
    private static SSLContext trustingLoopbackAgent() throws Exception {
        TrustManager any = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {any}, null);
        return tls;
    }
}
