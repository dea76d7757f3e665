package io.corral.agent.backup;

import io.corral.agent.Await;
import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Adobe S3Mock, a real S3-compatible server (target/s3mock/s3mock.jar, which the build fetches from Maven
 * Central), run by the test on this JVM's java with its data in a temporary directory and one bucket. It
 * listens for HTTP on all addresses (it has no setting for that connector's address), so an nftables table of
 * the test's own drops what reaches its ports other than over loopback while it runs.
 */
public final class S3Mock implements AutoCloseable {
    static final Path JAR = Path.of("target/s3mock/s3mock.jar");
    public final URI endpoint;
    public final String bucket;
    private final Path data;
    private final String table;
    private final Process process;

    private S3Mock(String bucket) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests through Maven, which fetches it");
        }
        this.bucket = bucket;
        int port = freePort(), tlsPort = freePort(); // the second: its HTTPS connector's, bound to loopback
        endpoint = URI.create("http://127.0.0.1:" + port);
        data = Files.createTempDirectory("corral-s3mock-");
        table = "corral_s3mock_" + port;
        Command.runWithInput("table inet " + table + " {\n chain input {\n  type filter hook input priority -10; policy accept;\n"
                + "  iifname != \"lo\" tcp dport { " + port + ", " + tlsPort + " } drop\n }\n}\n", "nft", "-f", "-");
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(),
                    "--http.port=" + port, "--server.port=" + tlsPort, "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + data.resolve("store"),
                    "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket, "--logging.level.root=WARN")
                    .redirectErrorStream(true).redirectOutput(data.resolve("s3mock.log").toFile()).start();
        } catch (IOException e) {
            Command.run("nft", "delete", "table", "inet", table);
            FileTrees.delete(data);
            throw e;
        }
    }

    /** Started, answering for its bucket. */
    public static S3Mock start(String bucket) {
        S3Mock mock;
        try {
            mock = new S3Mock(bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("start S3Mock: " + e.getMessage(), e);
        }
        try {
            Await.until(Duration.ofSeconds(120), "S3Mock answering at " + mock.endpoint, mock::answers);
            return mock;
        } catch (RuntimeException | Error e) {
            mock.close();
            throw e;
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new IllegalStateException("S3Mock exited " + process.exitValue() + ": " + log());
        }
        try {
            HttpURLConnection head = (HttpURLConnection) endpoint.resolve("/" + bucket).toURL().openConnection();
            head.setRequestMethod("HEAD");
            head.setConnectTimeout(1000);
            head.setReadTimeout(5000);
            try {
                return head.getResponseCode() == 200;
            } finally {
                head.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The settings of a store in its bucket under prefix; any access key does. */
    public S3Objects.Settings settings(String prefix) {
        return new S3Objects.Settings(endpoint, bucket, "us-east-1", prefix, AwsBasicCredentials.create("test-key-id", "test-secret"));
    }

    /** A client of its own, to look at and tamper with the bucket beside the store. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key-id", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Every key in the bucket under prefix. */
    public List<String> keys(String prefix) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    private String log() {
        try {
            String all = Files.readString(data.resolve("s3mock.log"));
            return all.substring(Math.max(0, all.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A port free on loopback now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Command.run("nft", "delete", "table", "inet", table);
            FileTrees.delete(data);
        }
    }
}
