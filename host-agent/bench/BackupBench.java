import io.corral.agent.Agent;
import io.corral.agent.backup.Backup;
import io.corral.agent.backup.DirectoryObjects;
import io.corral.agent.backup.S3Objects;
import io.corral.agent.backup.StoreObjects;
import io.corral.agent.backup.Snapshot;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.spec.LimitsChange;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Times snapshots and backups of a running busybox server with 200 MiB of random data written (so compression
 * hides nothing), then 1 MiB of it changed: a snapshot, a full backup, a second snapshot and an incremental
 * backup, in the agent's own process as the API runs them. Leaves both snapshots' images for backup.sh to
 * compare rsync and cp against, prints JSON, and destroys the server when backup.sh says so (stdin's end).
 *
 * Run: java -cp ../target/corral-agent.jar BackupBench.java STATE_DIR STORE, STORE a directory or the URL of an
 * S3-compatible bucket, http://HOST:PORT/BUCKET (path-style; the access key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
 */
public class BackupBench {
    public static void main(String[] args) throws Exception {
        Agent agent = Agent.open(Path.of(args[0]), Duration.ZERO, true, store(args[1]));
        agent.templates().build("busybox");
        String id = "bench-backup";
        var copies = agent.snapshotsAndBackups();
        agent.servers().create(new CreateRequest(id, "bench", "busybox", new LimitsChange(256L, null, null, null, null, 512L), true));
        try {
            sh(agent, id, "dd if=/dev/urandom of=/root/data bs=1048576 count=200 2>/dev/null");
            long t0 = System.nanoTime();
            Snapshot s1 = copies.snapshot(id, "s1").value();
            double snapshotMs = ms(t0);
            t0 = System.nanoTime();
            Backup full = copies.backup(id, "full").value();
            double fullMs = ms(t0);

            sh(agent, id, "dd if=/dev/urandom of=/root/data bs=1048576 count=1 seek=100 conv=notrunc 2>/dev/null");
            Snapshot s2 = copies.snapshot(id, "s2").value();
            t0 = System.nanoTime();
            Backup incremental = copies.backup(id, "incremental").value();
            double incrementalMs = ms(t0);
            t0 = System.nanoTime();
            copies.restoreBackup(id, id, "full");
            double restoreMs = ms(t0);

            Path snapshots = agent.state().server(id).resolve("snapshots");
            System.out.println("{\"snapshot\": {\"ms\": " + round(snapshotMs) + ", \"pauseMs\": " + s1.pauseMillis()
                    + ", \"storedBytes\": " + s1.storedBytes() + ", \"image\": \"" + snapshots.resolve("s1.img") + "\"},"
                    + " \"snapshot2\": {\"pauseMs\": " + s2.pauseMillis() + ", \"image\": \"" + snapshots.resolve("s2.img") + "\"},"
                    + " \"full\": " + json(full, fullMs) + ", \"incremental\": " + json(incremental, incrementalMs)
                    + ", \"restoreMs\": " + round(restoreMs) + "}");
            System.out.flush();
            System.in.read(); // the images stay until backup.sh has compared
        } finally {
            agent.servers().destroy(id);
            for (String b : List.of("full", "incremental")) {
                copies.deleteBackup(id, b);
            }
        }
    }

    static StoreObjects store(String where) {
        if (!where.startsWith("http")) {
            return new DirectoryObjects(Path.of(where));
        }
        URI bucket = URI.create(where);
        return S3Objects.open(new S3Objects.Settings(URI.create(bucket.getScheme() + "://" + bucket.getAuthority()), bucket.getPath().substring(1), "us-east-1", "",
                AwsBasicCredentials.create(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))));
    }

    static String json(Backup b, double ms) {
        return "{\"ms\": " + round(ms) + ", \"pauseMs\": " + b.pauseMillis() + ", \"chunks\": " + b.chunks()
                + ", \"newChunks\": " + b.newChunks() + ", \"storedBytes\": " + b.storedBytes() + ", \"totalBytes\": " + b.totalBytes() + "}";
    }

    static void sh(Agent agent, String id, String script) {
        var r = agent.servers().exec(id, List.of("sh", "-c", script), Duration.ofSeconds(600));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(script + ": " + r.stderr());
        }
    }

    static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
