package io.corral.panel.credential;

import io.corral.panel.common.DomainException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SSH public key as authorized_keys holds it: its type, the base64 of its blob and an optional comment. Read
 * from what a customer pastes (ssh-keygen's .pub line), checked and kept as one line: a type the agent takes,
 * base64 whose blob names the same type and holds a key of that type (RSA of at least 2,048 bits, the curve
 * its ECDSA type names, 32 bytes of Ed25519). No options (command=, from=): a customer's line could otherwise
 * say more than which key may log in.
 */
public record SshKey(String type, String base64, String comment) {
    public static final int MAX_KEYS = 32, MAX_LENGTH = 8192, MIN_RSA_BITS = 2048, MAX_RSA_BITS = 16384;
    private static final Map<String, String> CURVES = Map.of("ecdsa-sha2-nistp256", "nistp256", "ecdsa-sha2-nistp384", "nistp384",
            "ecdsa-sha2-nistp521", "nistp521");
    static final List<String> TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");
    private static final Pattern LINE = Pattern.compile("(\\S+) ([A-Za-z0-9+/]+={0,2})(?: +([^\\p{Cc}\\p{Zl}\\p{Zp}]*))?");

    /** The key's authorized_keys line: type, base64 and the comment if it has one, single spaces between. */
    public String line() {
        return type + " " + base64 + (comment == null ? "" : " " + comment);
    }

    /** As ssh-keygen -l shows it: SHA256 of the blob, base64 without padding. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks the keys (at most {@link #MAX_KEYS}); each refusal is a 400 naming the field, field[1] for the second. */
    public static List<SshKey> parseAll(List<String> keys, String field) {
        if (keys == null) {
            return List.of();
        }
        if (keys.size() > MAX_KEYS) {
            throw DomainException.invalid(field, r -> r.credential_too_many_keys(field, MAX_KEYS, keys.size()));
        }
        List<SshKey> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String at = field + "[" + i + "]";
            SshKey key = parse(keys.get(i), at);
            if (parsed.stream().anyMatch(k -> k.base64.equals(key.base64))) {
                throw DomainException.invalid(at, r -> r.credential_key_repeated(at));
            }
            parsed.add(key);
        }
        return parsed;
    }

    /** One key as pasted (surrounding blanks and runs of spaces are fine); refusals name field. */
    public static SshKey parse(String text, String field) {
        String line = text == null ? "" : text.strip();
        if (line.isEmpty() || line.length() > MAX_LENGTH) {
            throw DomainException.invalid(field, r -> r.credential_key_length(field, MAX_LENGTH));
        }
        Matcher m = LINE.matcher(line.replaceAll(" +", " "));
        if (!m.matches()) {
            throw DomainException.invalid(field, r -> r.credential_key_form(field));
        }
        String type = m.group(1);
        if (!TYPES.contains(type)) {
            throw DomainException.invalid(field, r -> r.credential_key_type(field, String.join(", ", TYPES), shown(type)));
        }
        checkBlob(type, m.group(2), field);
        String comment = m.group(3) == null || m.group(3).isBlank() ? null : m.group(3).strip();
        return new SshKey(type, m.group(2), comment);
    }

    private static void checkBlob(String type, String base64, String field) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            String named = new String(string(blob), StandardCharsets.US_ASCII);
            if (!named.equals(type)) {
                throw DomainException.invalid(field, r -> r.credential_key_type_mismatch(field, shown(named), type));
            }
            switch (type) {
                case "ssh-rsa" -> {
                    string(blob); // the public exponent
                    int bits = new BigInteger(1, string(blob)).bitLength();
                    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                        throw DomainException.invalid(field, r -> r.credential_rsa_bits(field, MIN_RSA_BITS, MAX_RSA_BITS, bits));
                    }
                }
                case "ssh-ed25519" -> {
                    if (string(blob).length != 32) {
                        throw DomainException.invalid(field, r -> r.credential_ed25519_length(field));
                    }
                }
                default -> {
                    String curve = new String(string(blob), StandardCharsets.US_ASCII);
                    byte[] point = string(blob);
                    if (!curve.equals(CURVES.get(type)) || point.length == 0) {
                        throw DomainException.invalid(field, r -> r.credential_key_curve(field, CURVES.get(type)));
                    }
                }
            }
            if (blob.hasRemaining()) {
                throw DomainException.invalid(field, r -> r.credential_key_trailing(field, type));
            }
        } catch (IllegalArgumentException | BufferUnderflowException e) {
            throw DomainException.invalid(field, r -> r.credential_key_blob(field, type));
        }
    }

    /** An SSH wire string: a 4-byte length, then that many bytes. */
    private static byte[] string(ByteBuffer blob) {
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        blob.get(bytes);
        return bytes;
    }

    /** What a refusal may quote of the customer's text: short, printable. */
    private static String shown(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
