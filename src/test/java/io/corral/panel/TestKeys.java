package io.corral.panel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** SSH public key lines as ssh-keygen writes them, made for a test. */
final class TestKeys {
    private TestKeys() {
    }

    /** An Ed25519 key line with random key bytes (the tests that use it only place it). */
    static String ed25519(String comment) {
        byte[] point = new byte[32];
        ThreadLocalRandom.current().nextBytes(point);
        return "ssh-ed25519 " + blob("ssh-ed25519", point) + " " + comment;
    }

    /** A real RSA public key of the given size. */
    static String rsa(int bits, String comment) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
            return "ssh-rsa " + blob("ssh-rsa", key.getPublicExponent().toByteArray(), key.getModulus().toByteArray()) + " " + comment;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64 of an SSH key blob: the type, then each field, as length-prefixed strings. */
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
