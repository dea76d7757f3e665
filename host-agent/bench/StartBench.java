import io.corral.agent.Agent;
import io.corral.agent.server.CreateRequest;
import io.corral.agent.server.LimitsChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times Corral's start of an already-created busybox server, in the agent's own process as the API
 * runs it: from the call until the server's init has exec'd (the boot pipe's end of file). Create
 * is timed separately. Stops use no grace period, so each round is a cold start of a stopped server.
 *
 * Run: java -cp ../target/corral-agent.jar StartBench.java STATE_DIR RUNS
 */
public class StartBench {
    private static final int WARMUP = 30;

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Agent agent = Agent.open(state, Duration.ZERO);
        agent.templates().build("busybox");
        String id = "bench-start";
        long c0 = System.nanoTime();
        agent.servers().create(new CreateRequest(id, "bench", "busybox", new LimitsChange(null, null, null, null, null, 64L)));
        double createMs = (System.nanoTime() - c0) / 1e6;
        List<Double> starts = new ArrayList<>();
        try {
            for (int i = 0; i < runs + WARMUP; i++) {
                long t0 = System.nanoTime();
                agent.servers().start(id);
                double ms = (System.nanoTime() - t0) / 1e6;
                agent.servers().stop(id);
                if (i >= WARMUP) { // a serving agent runs these paths hot: warm the JIT first
                    starts.add(ms);
                }
            }
        } finally {
            agent.servers().destroy(id);
        }
        Collections.sort(starts);
        System.out.printf("{\"create_ms\": %.1f, \"runs\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"min_ms\": %.2f}%n",
                createMs, starts.size(), percentile(starts, 50), percentile(starts, 95), starts.get(0));
    }

    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
}
