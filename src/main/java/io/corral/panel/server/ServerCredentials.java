package io.corral.panel.server;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Root's credentials on a server, which an order and a reinstall take. They are kept by credential/, which
 * uses servers, so server/ hands them over through this and credential/ answers (credential/CredentialService).
 */
public interface ServerCredentials {
    /**
     * Checks the keys and the password (and hashes it), before anything is saved or locked; returns what keeps the keys
     * and the password's hash for a server, in the caller's transaction: null keys or password keep what it has (none
     * for a new server), an empty list removes its keys. A refusal names the field (sshKeys[1], rootPassword) and
     * never quotes the password.
     */
    LongConsumer check(List<String> sshKeys, String rootPassword);
}
