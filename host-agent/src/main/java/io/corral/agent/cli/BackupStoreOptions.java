package io.corral.agent.cli;

import io.corral.agent.AgentException;
import io.corral.agent.backup.DirectoryObjects;
import io.corral.agent.backup.S3Credentials;
import io.corral.agent.backup.S3Objects;
import io.corral.agent.backup.StoreObjects;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where backups go: a directory (--backup-dir) or a bucket of an S3-compatible object store (--backup-s3-*),
 * never both. Each option may come from the environment instead (CORRAL_BACKUP_DIR, CORRAL_BACKUP_S3_ENDPOINT, …);
 * the access key only from a file or the environment.
 */
final class BackupStoreOptions {
    @Option(names = "--backup-dir", paramLabel = "DIR", description = "The backup store: a directory, another disk or an NFS mount "
            + "(default: $CORRAL_BACKUP_DIR or backups/ in the state directory).")
    Path dir;

    @Option(names = "--backup-s3-endpoint", paramLabel = "URL", description = "The backup store in an S3-compatible object store"
            + " instead: its URL, e.g. https://s3.eu-central-1.amazonaws.com (or $CORRAL_BACKUP_S3_ENDPOINT).")
    String endpoint;

    @Option(names = "--backup-s3-bucket", paramLabel = "NAME", description = "The bucket, which must exist (or $CORRAL_BACKUP_S3_BUCKET).")
    String bucket;

    @Option(names = "--backup-s3-region", paramLabel = "REGION", description = "The region requests are signed for"
            + " (default: $CORRAL_BACKUP_S3_REGION or us-east-1).")
    String region;

    @Option(names = "--backup-s3-prefix", paramLabel = "PREFIX", description = "A key prefix for this store's objects in the bucket"
            + " (or $CORRAL_BACKUP_S3_PREFIX; default: none).")
    String prefix;

    @Option(names = "--backup-s3-credentials", paramLabel = "FILE", description = "The access key: a file readable by its owner only,"
            + " two lines (access key id, secret) or aws_access_key_id=… and aws_secret_access_key=… (or $CORRAL_BACKUP_S3_CREDENTIALS;"
            + " default: $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY).")
    Path credentials;

    /** The store as configured, the bucket checked to answer; null: the default directory in the state directory. */
    StoreObjects open(Map<String, String> env) {
        String dir = given(this.dir, env, "CORRAL_BACKUP_DIR");
        String endpoint = given(this.endpoint, env, "CORRAL_BACKUP_S3_ENDPOINT");
        String bucket = given(this.bucket, env, "CORRAL_BACKUP_S3_BUCKET");
        String region = given(this.region, env, "CORRAL_BACKUP_S3_REGION");
        String prefix = given(this.prefix, env, "CORRAL_BACKUP_S3_PREFIX");
        String credentials = given(this.credentials, env, "CORRAL_BACKUP_S3_CREDENTIALS");
        boolean s3 = Stream.of(endpoint, bucket, region, prefix, credentials).anyMatch(v -> v != null);
        if (!s3) {
            return dir == null ? null : new DirectoryObjects(Path.of(dir));
        }
        if (dir != null) {
            throw AgentException.invalid("--backup-dir", "cannot be combined with the --backup-s3-* options (nor $CORRAL_BACKUP_DIR"
                    + " with $CORRAL_BACKUP_S3_*): the backup store is a directory or a bucket, not both");
        }
        if (endpoint == null || bucket == null) {
            throw AgentException.invalid(endpoint == null ? "--backup-s3-endpoint" : "--backup-s3-bucket",
                    "an S3 backup store needs both --backup-s3-endpoint and --backup-s3-bucket");
        }
        return S3Objects.open(new S3Objects.Settings(endpoint(endpoint), bucket, region != null ? region : "us-east-1", prefix,
                S3Credentials.load(credentials != null ? Path.of(credentials) : null, env)));
    }

    private static URI endpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw AgentException.invalid("--backup-s3-endpoint", "must be an http or https URL without credentials, such as https://s3.example.net");
        }
        if ("http".equals(uri.getScheme()) && !loopback(uri.getHost())) {
            // customers' disks would cross the network in clear, and whoever is on the way could answer a restore
            throw AgentException.invalid("--backup-s3-endpoint", "must be https unless the service is on this host (a loopback address)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host.replaceAll("^\\[|\\]$", ""))) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The option's value, else the environment's; blank is none. */
    private static String given(Object option, Map<String, String> env, String variable) {
        String value = option != null ? option.toString() : env.get(variable);
        return value == null || value.isBlank() ? null : value;
    }
}
