package io.corral.panel.identity;

import java.security.SecureRandom;

/** Temporary passwords for new users: shown once, replaced by the user at first sign-in. */
final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    // No look-alikes (0/O, 1/l/I), so a password read off a screen is typed right the first time.
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private Passwords() {
    }

    static String temporary() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
