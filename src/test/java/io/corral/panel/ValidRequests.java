package io.corral.panel;

import io.corral.panel.ApiDocument.Operation;
import java.util.Map;

/**
 * Valid query parameters and bodies for the operations of the API document, so that a test changing
 * one thing (an id, a hostile value) gets an answer about that thing alone. An operation with a body
 * this class does not know fails the tests until one is added here.
 */
final class ValidRequests {
    /** The slug of the tenant whose objects the tests' requests name. */
    static final String TENANT = "acme";
    /** A network on documentation ranges. */
    static final String NETWORK = """
            {"name":"probe","kind":"private","ipv4Prefix":"198.51.100.0/24","gateway4":"198.51.100.1",
             "ipv6Prefix":"2001:db8:5::/64","gateway6":"2001:db8:5::1","resolvers":["198.51.100.53"]}""";

    /** A real public key, as ssh-keygen -t ed25519 wrote it (its fingerprint SHA256:USa7JRfmO9zPH+xp/FBKBYswZxZJvgtdK1NqWFIieQ0). */
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINe6Q63XP+CW9BvXUcyUokwo1tcW/GuS0/QuGR13WsoR probe@test";

    private ValidRequests() {
    }

    /** The query parameters an operation needs. */
    static Map<String, String> query(Operation o) {
        return o.path().equals("/api/v1/billing/export") ? Map.of("from", "2026-11-01", "to", "2026-12-01") : Map.of();
    }

    /**
     * A body the operation takes; ids are the objects it names by collection (tenants, plans ...), the
     * tenant among them being {@link #TENANT}; agentUrl is a real agent's.
     */
    static String body(Operation o, Map<String, Long> ids, String agentUrl) {
        String key = o.toString();
        return switch (key) {
            // a new server from a backup: the order's body, whose disk is no smaller than the tests' servers' (128 MiB)
            case "POST /api/v1/servers", "POST /api/v1/backups/{backupId}/servers" ->
                    "{\"hostname\":\"probe\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}";
            case "PUT /api/v1/servers/{id}/limits" -> "{\"memoryMiB\":64}";
            case "PUT /api/v1/servers/{id}/firewall" -> "{\"defaultInbound\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"22\"}]}";
            case "PUT /api/v1/servers/{id}/backup-schedule" -> "{\"frequency\":\"daily\",\"hour\":3,\"retention\":2}";
            case "PUT /api/v1/servers/{id}/forwards" -> "{\"forwards\":[]}"; // the probes' servers have no network: none is what they may have
            case "PUT /api/v1/servers/{id}/ssh-keys" -> "{\"sshKeys\":[\"" + SSH_KEY + "\"]}";
            case "POST /api/v1/servers/{id}/reinstall" -> "{\"sshKeys\":[\"" + SSH_KEY + "\"]}";
            case "POST /api/v1/servers/{id}/exec" -> "{\"command\":[\"true\"],\"timeoutSeconds\":5}";
            case "POST /api/v1/servers/{id}/move" -> "{\"hostId\":" + ids.get("hosts") + "}";
            case "POST /api/v1/evacuations" -> "{\"hostId\":" + ids.get("hosts") + "}"; // the probes' host is up: refused, 409
            case "POST /api/v1/tenants" -> "{\"name\":\"Probe\",\"slug\":\"probe\",\"planId\":" + ids.get("plans")
                    + ",\"ownerEmail\":\"owner@probe.test\"}";
            case "PUT /api/v1/tenants/{id}" -> "{\"name\":\"Renamed\",\"slug\":\"" + TENANT + "\",\"planId\":" + ids.get("plans") + "}";
            case "POST /api/v1/tenants/{id}/users" -> "{\"email\":\"invited@probe.test\"}";
            case "POST /api/v1/tenants/{id}/api-clients" -> "{\"name\":\"probe\"}";
            case "POST /api/v1/plans", "PUT /api/v1/plans/{id}" -> """
                    {"name":"probe-plan","maxServers":3,"maxMemoryMiB":4096,"maxSwapMiB":4096,"maxCpus":4,"maxCpuWeight":300,
                     "maxPids":3000,"maxDiskMiB":40960,"serverMaxMemoryMiB":2048,"serverMaxSwapMiB":2048,"serverMaxCpus":2,
                     "serverMaxCpuWeight":100,"serverMaxPids":1000,"serverMaxDiskMiB":20480,
                     "priceServerMonth":5,"priceMemoryGiBMonth":1.5,"priceCpuMonth":1,"priceDiskGiBMonth":0.1,"currency":"EUR",
                     "network":"none"}""";
            case "POST /api/v1/networks" -> NETWORK.replace("probe", "probe2").replace("198.51.100.", "203.0.113.");
            case "PUT /api/v1/networks/{id}/hosts/{hostId}" -> "{\"uplink\":\"\"}"; // the probes' network is private: no uplink
            case "POST /api/v1/networks/{id}/pools" -> "{\"first\":\"198.51.100.10\",\"last\":\"198.51.100.20\"}";
            case "POST /api/v1/hosts" -> "{\"name\":\"probe-host\",\"agentUrl\":\"" + agentUrl + "\",\"secret\":\"" + RealAgent.SECRET + "\"}";
            case "PATCH /api/v1/hosts/{id}" -> "{\"draining\":false}";
            case "POST /api/v1/billing/periods" -> "{\"startsOn\":\"2027-01-01\",\"endsOn\":\"2027-02-01\"}";
            default -> throw new AssertionError("no valid body for " + key + " is known: add one to ValidRequests.body()");
        };
    }
}
