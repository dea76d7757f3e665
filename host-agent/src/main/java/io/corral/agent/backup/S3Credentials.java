package io.corral.agent.backup;

import io.corral.agent.AgentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The S3 backup store's access key, from a file only root can read or from the environment; never from the
 * command line (ps shows it to every account). Messages name the file and the option, never the secret.
 */
public final class S3Credentials {
    static final String OPTION = "--backup-s3-credentials";
    /** More than an access key and its settings take: what is past it is not read. */
    private static final int MAX_BYTES = 64 * 1024;

    private S3Credentials() {
    }

    /**
     * From file when given: two lines (access key id, secret) or the lines aws_access_key_id=… and
     * aws_secret_access_key=…; refused when it is a link, not root's, or group or others may read or write it. Else from AWS_ACCESS_KEY_ID and
     * AWS_SECRET_ACCESS_KEY in env.
     */
    public static AwsBasicCredentials load(Path file, Map<String, String> env) {
        if (file == null) {
            String id = env.get("AWS_ACCESS_KEY_ID"), secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
                throw AgentException.invalid(OPTION, "the S3 backup store needs an access key: " + OPTION
                        + " FILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
            }
            return AwsBasicCredentials.create(id, secret);
        }
        List<String> lines;
        try {
            // the file itself, not what a link names; root's, and no one else's to read or change
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> mode = attributes.permissions();
            if (!attributes.isRegularFile()) {
                throw AgentException.invalid(OPTION, file + " is not a regular file (a link or another kind)");
            }
            if ((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0) {
                throw AgentException.invalid(OPTION, file + " is not root's: chown root it");
            }
            for (PosixFilePermission open : List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)) {
                if (mode.contains(open)) {
                    throw AgentException.invalid(OPTION, file + " is readable or writable by group or others (mode "
                            + PosixFilePermissions.toString(mode) + "): chmod 600 it");
                }
            }
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                lines = new String(in.readNBytes(MAX_BYTES), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(OPTION + " " + file + ": " + e.getMessage(), e);
        }
        String id = null, secret = null;
        if (lines.size() == 2 && lines.stream().noneMatch(l -> l.contains("="))) {
            id = lines.get(0);
            secret = lines.get(1);
        } else {
            for (String line : lines) {
                int eq = line.indexOf('=');
                String name = eq < 0 ? "" : line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "aws_access_key_id" -> id = line.substring(eq + 1).strip();
                    case "aws_secret_access_key" -> secret = line.substring(eq + 1).strip();
                    default -> { } // other settings of an AWS credentials file ([default], a session's)
                }
            }
        }
        if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
            throw AgentException.invalid(OPTION, file + " holds no access key: two lines (access key id, then secret), or"
                    + " aws_access_key_id=… and aws_secret_access_key=…");
        }
        return AwsBasicCredentials.create(id, secret);
    }
}
