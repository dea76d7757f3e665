package io.corral.agent.credentials;

import io.corral.agent.AgentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How root logs into a server: its SSH public keys (root's authorized_keys, one line each) and its
 * password's SHA-512 crypt hash for /etc/shadow (the panel hashes the password; no password reaches
 * the agent). Either may be left out: no keys, or null for no password.
 */
public record Credentials(List<String> sshKeys, String rootPasswordHash) {
    public static final int MAX_KEYS = 32, MAX_KEY_LENGTH = 8192;
    static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");
    /** type, base64 blob, optional comment: no options (command=, from=), which would be the customer's to set inside. */
    private static final Pattern KEY = Pattern.compile("([a-z0-9-]+) ([A-Za-z0-9+/]+={0,2})(?: [^\\p{Cntrl}]*)?");
    /** SHA-512 crypt, as crypt(3) writes it: $6$, optional rounds, a salt of up to 16, 86 characters of hash. */
    private static final Pattern HASH = Pattern.compile("\\$6\\$(rounds=[1-9][0-9]{3,8}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}");

    public static final Credentials NONE = new Credentials(List.of(), null);

    public Credentials {
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
    }

    public Credentials withKeys(List<String> keys) {
        return new Credentials(keys, rootPasswordHash);
    }

    /** Checks the keys and the hash; each refusal a 400 naming the field under prefix (credentials.sshKeys[1]). */
    public void validate(String prefix) {
        validateKeys(sshKeys, prefix + "sshKeys");
        if (rootPasswordHash != null && !HASH.matcher(rootPasswordHash).matches()) {
            throw AgentException.invalid(prefix + "rootPasswordHash", "must be a SHA-512 crypt hash ($6$salt$86 characters)");
        }
    }

    /**
     * At most {@link #MAX_KEYS}, each one line of at most {@link #MAX_KEY_LENGTH} characters: a type of
     * {@link #TYPES}, then base64 of a key blob that names the same type, then an optional comment.
     */
    public static void validateKeys(List<String> keys, String field) {
        if (keys == null) {
            throw AgentException.invalid(field, "must be a list of SSH public keys, got nothing");
        }
        if (keys.size() > MAX_KEYS) {
            throw AgentException.invalid(field, "at most " + MAX_KEYS + " keys");
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i), name = field + "[" + i + "]";
            Matcher m = key == null || key.length() > MAX_KEY_LENGTH ? null : KEY.matcher(key);
            if (m == null || !m.matches()) {
                throw AgentException.invalid(name, "must be one line of at most " + MAX_KEY_LENGTH
                        + " characters: a key type, its base64 and an optional comment");
            }
            if (!TYPES.contains(m.group(1))) {
                throw AgentException.invalid(name, "type must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
            }
            if (!m.group(1).equals(blobType(m.group(2)))) {
                throw AgentException.invalid(name, "its base64 must hold a " + m.group(1) + " key");
            }
        }
    }

    /** The type a key blob names first (a length-prefixed string), or null if it is no such blob. */
    private static String blobType(String base64) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            int length = blob.getInt();
            if (length < 1 || length > 64 || length > blob.remaining()) {
                return null;
            }
            byte[] type = new byte[length];
            blob.get(type);
            return new String(type, StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return null;
        }
    }

    /** root's authorized_keys: the keys, a line each. */
    public String authorizedKeys() {
        return sshKeys.stream().map(k -> k + "\n").reduce("", String::concat);
    }
}
