package io.corral.agent.backup;

import io.corral.agent.AgentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store's objects in a bucket of an S3-compatible object store (path-style addressing, so any endpoint
 * works without DNS per bucket), under an optional key prefix. A PUT is whole once answered and S3 reads after
 * it see it, which is what a manifest written last needs. Bounded: connecting and each call time out, a call is
 * tried at most {@link #ATTEMPTS} times, and an object goes up and comes down through the caller's buffer of one
 * chunk. S3 has no lock: within the agent a read-write lock keeps deletions from racing backups; between agents
 * sharing a bucket the panel's rule holds (README: one host takes, restores and deletes a server's backups).
 * No free space to check: the bucket's quota, if any, refuses a PUT.
 */
public final class S3Objects implements StoreObjects {
    static final int ATTEMPTS = 4;
    private static final int DELETES_PER_CALL = 1000; // DeleteObjects' most
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String where;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** The settings of an S3 store: prefix "" or a key prefix ("hosts/h1", slashes around it optional). */
    public record Settings(URI endpoint, String bucket, String region, String prefix, AwsCredentials credentials) {
    }

    private S3Objects(Settings settings) {
        this.bucket = settings.bucket();
        String p = settings.prefix() == null ? "" : settings.prefix().replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        this.where = "s3://" + bucket + "/" + prefix + " at " + settings.endpoint();
        this.s3 = S3Client.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(settings.credentials()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(Duration.ofSeconds(90))
                        .apiCallTimeout(Duration.ofMinutes(5))
                        .retryStrategy(r -> r.maxAttempts(ATTEMPTS)))
                .build();
    }

    /** The store in the settings' bucket, which must answer now (HeadBucket): else refused naming endpoint and bucket. */
    public static S3Objects open(Settings settings) {
        S3Objects objects = new S3Objects(settings);
        try {
            objects.s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            objects.s3.close();
            // HeadBucket's answers have no body: its status is all there is to say
            String why = !(e instanceof S3Exception s) ? e.getMessage() : switch (s.statusCode()) {
                case 404 -> "there is no such bucket (HTTP 404)";
                case 401, 403 -> "the access key is refused or may not use it (HTTP " + s.statusCode() + ")";
                default -> "HTTP " + s.statusCode();
            };
            throw AgentException.invalid("--backup-s3-bucket", "bucket " + settings.bucket() + " at " + settings.endpoint()
                    + " cannot be reached: " + why);
        }
        return objects;
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("get " + key, e);
        }
    }

    @Override
    public long read(String key, byte[] into) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
            long size = in.response().contentLength();
            int want = (int) Math.min(size, into.length);
            int n = in.readNBytes(into, 0, want);
            if (n < want) {
                throw new IOException("got " + n + " of the " + size + " bytes it announced");
            }
            if (size > into.length) {
                in.abort(); // the rest is not read: the caller refuses an object this large
            }
            return size;
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (SdkException e) {
            throw failed("get " + key, e);
        } catch (IOException e) {
            throw new UncheckedIOException("get " + key + " in " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, int length) {
        try {
            // from the caller's buffer, read again on a retry: no copy of the chunk
            s3.putObject(b -> b.bucket(bucket).key(prefix + key).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream"));
        } catch (SdkException e) {
            throw failed("put " + key, e);
        }
    }

    @Override
    public Map<String, Long> files(String dir, int most) {
        return list(dir, "/", most);
    }

    @Override
    public Map<String, Long> tree(String dir, int most) {
        return list(dir, null, most);
    }

    private Map<String, Long> list(String dir, String delimiter, int most) {
        Map<String, Long> all = new TreeMap<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + dir).delimiter(delimiter)).contents()) {
                if (all.size() == most) {
                    throw StoreObjects.tooMany(dir, most, where);
                }
                all.put(object.key().substring(prefix.length()), object.size());
            }
        } catch (SdkException e) {
            throw failed("list " + dir, e);
        }
        return all;
    }

    @Override
    public void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += DELETES_PER_CALL) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : keys.subList(from, Math.min(keys.size(), from + DELETES_PER_CALL))) {
                batch.add(ObjectIdentifier.builder().key(prefix + key).build());
            }
            DeleteObjectsResponse answer;
            try {
                answer = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw failed("delete " + batch.size() + " objects", e);
            }
            if (answer.hasErrors() && !answer.errors().isEmpty()) {
                var first = answer.errors().get(0);
                throw new UncheckedIOException(new IOException("delete " + first.key() + " in " + where + ": " + first.code()
                        + " " + first.message() + " (" + answer.errors().size() + " objects not deleted)"));
            }
        }
    }

    @Override
    public void deleteTree(String dir) {
        // a page at a time, so that nothing is held of a tree however large
        for (;;) {
            List<String> keys;
            try {
                keys = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix + dir).maxKeys(DELETES_PER_CALL)).contents().stream()
                        .map(o -> o.key().substring(prefix.length())).toList();
            } catch (SdkException e) {
                throw failed("list " + dir, e);
            }
            if (keys.isEmpty()) {
                return;
            }
            delete(keys);
        }
    }

    @Override
    public Held shared() {
        return take(lock.readLock());
    }

    @Override
    public Held exclusive() {
        return take(lock.writeLock());
    }

    private static Held take(Lock held) {
        held.lock();
        return held::unlock;
    }

    @Override
    public String where() {
        return where;
    }

    private UncheckedIOException failed(String what, SdkException e) {
        return new UncheckedIOException(what + " in " + where + ": " + e.getMessage(), new IOException(e));
    }
}
