package io.corral.agent.credentials;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Public keys shaped as ssh-keygen writes them (a type, then base64 of a blob naming it), for tests that only place them. */
final class SshKeyMaker {
    private SshKeyMaker() {
    }

    /** An ed25519 public key line with random key bytes. */
    static String ed25519(String comment) {
        byte[] point = new byte[32];
        ThreadLocalRandom.current().nextBytes(point);
        return "ssh-ed25519 " + blob("ssh-ed25519", point) + " " + comment;
    }

    /** base64 of a blob that names type and then holds the fields. */
    static String blob(String type, byte[]... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(name.length);
            out.write(name);
            for (byte[] field : fields) {
                out.writeInt(field.length);
                out.write(field);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
