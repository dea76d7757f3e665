package io.corral.panel;

import io.restassured.specification.RequestSpecification;
import java.util.function.Function;

/** What an admin does through the API before a customer's story can start: a plan, a tenant, a host. */
record AdminSteps(Function<String, RequestSpecification> as) {
    static final AdminSteps IN_PROCESS = new AdminSteps(Api::as);

    /** A plan whose servers get no network. */
    int plan(String name, int servers) {
        return plan(name, servers, "none");
    }

    /** network: none, private or public, the kind of network the plan's servers get. */
    int plan(String name, int servers, String network) {
        return as.apply("ada").body("""
                {"name":"%s","maxServers":%d,"maxMemoryMiB":1024,"maxSwapMiB":1024,"maxCpus":2,"maxCpuWeight":1000,
                 "maxPids":8192,"maxDiskMiB":4096,"serverMaxMemoryMiB":512,"serverMaxSwapMiB":512,"serverMaxCpus":1,
                 "serverMaxCpuWeight":500,"serverMaxPids":4096,"serverMaxDiskMiB":2048,"network":"%s"}""".formatted(name, servers, network))
                .post("/api/v1/plans").then().statusCode(201).extract().path("id");
    }

    /** The plan's servers each get gib of traffic sent a month included, each GiB beyond at price: the plan read, changed and put back. */
    void includeTraffic(int plan, long gib, String price) {
        change(plan, java.util.Map.of("serverIncludedTrafficGiB", gib, "priceTrafficOverageGiB", new java.math.BigDecimal(price)));
    }

    /** The plan priced in yen: so much a server a month. */
    void priceInYen(int plan, String perServerMonth) {
        change(plan, java.util.Map.of("currency", "JPY", "priceServerMonth", new java.math.BigDecimal(perServerMonth)));
    }

    private void change(int plan, java.util.Map<String, Object> fields) {
        java.util.Map<String, Object> body = as.apply("ada").get("/api/v1/plans/" + plan).then().statusCode(200).extract().as(java.util.Map.class);
        body.remove("id");
        body.putAll(fields);
        as.apply("ada").body(body).put("/api/v1/plans/" + plan).then().statusCode(200);
    }

    /** A tenant with its owner, made through the panel (so in Keycloak too); the test user member joins it. */
    void tenant(String name, String slug, int plan, String member) {
        as.apply("ada").body("{\"name\":\"" + name + "\",\"slug\":\"" + slug + "\",\"planId\":" + plan
                        + ",\"ownerEmail\":\"owner@" + slug + ".test\"}")
                .post("/api/v1/tenants").then().statusCode(201);
        TestKeycloak.get().joinTenant(member, slug);
    }

    /**
     * A public network named name on the host, as the tests that reach a real server use: 203.0.113.0/24 and
     * 2001:db8:SUBNET::/64, gateways at .1 and ::1, a resolver at 203.0.113.53, pools .10–.20 and ::10–::20
     * (the first server gets 203.0.113.10); its id.
     */
    int publicNetwork(String name, String subnet, int host) {
        String v6 = "2001:db8:" + subnet + "::";
        return network("""
                {"name":"%s","kind":"public","ipv4Prefix":"203.0.113.0/24","gateway4":"203.0.113.1",
                 "ipv6Prefix":"%s/64","gateway6":"%s1","resolvers":["203.0.113.53"]}""".formatted(name, v6, v6), host,
                "{\"first\":\"203.0.113.10\",\"last\":\"203.0.113.20\"}", "{\"first\":\"" + v6 + "10\",\"last\":\"" + v6 + "20\"}");
    }

    /** A network (its JSON as the API takes it) on the host, with these pools ({"first","last"} each); its id. */
    int network(String json, int host, String... pools) {
        int network = as.apply("ada").body(json).post("/api/v1/networks").then().statusCode(201).extract().path("id");
        as.apply("ada").put("/api/v1/networks/" + network + "/hosts/" + host).then().statusCode(200);
        for (String pool : pools) {
            as.apply("ada").body(pool).post("/api/v1/networks/" + network + "/pools").then().statusCode(201);
        }
        return network;
    }

    int host(String name, RealAgent agent) {
        return as.apply("ada").body("{\"name\":\"" + name + "\",\"agentUrl\":\"" + agent.url() + "\",\"secret\":\"" + RealAgent.SECRET
                        + "\",\"fingerprint\":\"" + agent.fingerprint() + "\"}")
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id");
    }
}
