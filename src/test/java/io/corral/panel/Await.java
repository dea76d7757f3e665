package io.corral.panel;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what happens in the background (the worker, the agent, Keycloak), with a deadline that names what did not come. */
final class Await {
    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(60), condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Until every allocation change noted has been folded: the panel's own schedule may be folding at the same moment, and a fold then does nothing. */
    static void folded(io.corral.panel.server.AllocationFold fold, javax.sql.DataSource db) {
        until("every allocation change noted folded", Duration.ofSeconds(30),
                () -> fold.fold() >= 0 && Db.number(db, "select count(*) from host_allocation_change") == 0);
    }

    /** Until the panel shows the server in this observed state. */
    static void observed(int id, String state) {
        until("server " + id + " " + state, () -> state.equals(Api.as("ada").get("/api/v1/servers/" + id).then().extract().path("observedState")));
    }

    static void operation(int id, String status) {
        until("operation " + id + " " + status, () -> status.equals(Api.as("ada").get("/api/v1/operations/" + id).then().extract().path("status")));
    }

    /** A small busybox server the customer orders, once the worker has it running; its id. */
    static int runningServer(String customer, String hostname) {
        int id = Api.as(customer).body("{\"hostname\":\"" + hostname + "\",\"template\":\"busybox\",\"memoryMiB\":64,\"diskMiB\":128}")
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        observed(id, "running");
        return id;
    }
}
