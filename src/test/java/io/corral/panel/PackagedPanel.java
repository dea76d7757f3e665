package io.corral.panel;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged panel (target/quarkus-app) in a process of its own, as ./run.sh starts it: its data directory, its
 * port, the test Keycloak, the worker's lease at 5 s; environment adds to or overrides its environment (an external
 * database, say). kill() is kill -9: nothing of it runs after.
 */
final class PackagedPanel {
    final Path data;
    final int port;
    private final Map<String, String> environment;
    private Process process;

    PackagedPanel(Path data, Map<String, String> environment) throws Exception {
        this.data = data;
        this.environment = environment;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    PackagedPanel start() {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcorral.keycloak.url=" + TestKeycloak.get().url(),
                "-Dcorral.worker.lease=5s", "-Dcorral.heartbeat.every=off",
                "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        pb.environment().put("CORRAL_DATA_DIR", data.toString());
        pb.environment().put("CORRAL_PANEL_CLIENT_SECRET", TestKeycloak.PANEL_SECRET); // not an argument: ps shows those to everyone
        pb.environment().put("CORRAL_PORT", Integer.toString(port));
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("panel.log").toFile()));
        try {
            process = pb.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Await.until("panel on port " + port + " ready", Duration.ofSeconds(90), () -> {
            try {
                return given().port(port).get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) { // connection refused while it starts
                return false;
            }
        });
        return this;
    }

    RequestSpecification as(String user) {
        return Api.as(user).port(port);
    }

    /** kill -STOP: the panel does nothing more, and answers nothing, until killed. */
    void pause() throws Exception {
        if (new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -STOP " + process.pid() + " failed");
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * Stops the embedded PostgreSQL this panel started, which outlives a panel killed with -9 (another panel may be using it):
     * SIGTERM, PostgreSQL's smart shutdown, once no panel is connected.
     */
    void stopDatabase() throws Exception {
        Path pidFile = data.resolve("postgres/postmaster.pid");
        if (java.nio.file.Files.exists(pidFile)) {
            long pid = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(postgres -> {
                postgres.destroy();
                postgres.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            });
        }
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
