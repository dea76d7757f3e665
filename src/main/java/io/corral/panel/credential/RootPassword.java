package io.corral.panel.credential;

import io.corral.panel.common.DomainException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * A server's root password, hashed as soon as it is read: only its SHA-512 crypt hash ($6$, what
 * /etc/shadow holds and the agent writes there) is stored, sent or shown; the password itself goes
 * nowhere, neither in a log, an operation nor an audit event.
 */
public final class RootPassword {
    public static final int MIN_LENGTH = 12, MAX_LENGTH = 128;
    private static final String SALT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RootPassword() {
    }

    /**
     * The hash of a password of {@link #MIN_LENGTH} to {@link #MAX_LENGTH} characters without control characters
     * (bounded above too: SHA-512 crypt's work grows with the password's length), with a random salt of 16; null
     * for none given. A refusal names field and never quotes the password.
     */
    public static String hash(String password, String field) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw DomainException.invalid(field, r -> r.credential_password_length(field, MIN_LENGTH, MAX_LENGTH, length));
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid(field, r -> r.credential_password_line(field));
        }
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < 16; i++) {
            salt.append(SALT_ALPHABET.charAt(RANDOM.nextInt(SALT_ALPHABET.length())));
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt.toString());
    }
}
