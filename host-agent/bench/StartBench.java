import io.corral.agent.Agent;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.spec.LimitsChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times Corral's start of an already-created busybox server, in the agent's own process as the API
 * runs it: from the call until the server's init has exec'd (the boot pipe's end of file), for a
 * server with a user namespace of its own and for one without. Create is timed separately. Stops
 * use no grace period, so each round is a cold start of a stopped server.
 *
 * Run: java -cp ../target/corral-agent.jar StartBench.java STATE_DIR RUNS
 */
public class StartBench {
    private static final int WARMUP = 30;

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        // two agents on one state directory: one makes servers with a user namespace, one without
        Agent withUsers = Agent.open(state, Duration.ZERO, true), withoutUsers = Agent.open(state, Duration.ZERO, false);
        withUsers.templates().build("busybox");
        Timed users = new Timed(withUsers, "bench-users"), root = new Timed(withoutUsers, "bench-root");
        try {
            // rounds alternate between the two, so both meet the same conditions of the machine
            for (int i = 0; i < runs + WARMUP; i++) {
                users.startAndStop(i >= WARMUP);
                root.startAndStop(i >= WARMUP);
            }
        } finally {
            users.destroy();
            root.destroy();
        }
        System.out.println("{\"with_user_namespace\": " + users.json() + ", \"without_user_namespace\": " + root.json() + "}");
    }

    /** One server, created once and timed over cold starts. */
    static final class Timed {
        final Agent agent;
        final String id;
        final double createMs;
        final List<Double> starts = new ArrayList<>();

        Timed(Agent agent, String id) {
            this.agent = agent;
            this.id = id;
            long c0 = System.nanoTime();
            agent.servers().create(new CreateRequest(id, "bench", "busybox", new LimitsChange(null, null, null, null, null, 64L), false));
            createMs = (System.nanoTime() - c0) / 1e6;
        }

        void startAndStop(boolean kept) {
            long t0 = System.nanoTime();
            agent.servers().start(id);
            double ms = (System.nanoTime() - t0) / 1e6;
            agent.servers().stop(id);
            if (kept) { // a serving agent runs these paths hot: warm the JIT first
                starts.add(ms);
            }
        }

        void destroy() {
            agent.servers().destroy(id);
        }

        String json() {
            Collections.sort(starts);
            return String.format("{\"create_ms\": %.1f, \"runs\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"min_ms\": %.2f}",
                    createMs, starts.size(), percentile(starts, 50), percentile(starts, 95), starts.get(0));
        }
    }

    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
}
