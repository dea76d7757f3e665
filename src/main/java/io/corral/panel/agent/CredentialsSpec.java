package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Root's credentials as its agent is told them (host-agent/README.md, Credentials): with the create and the
 * reinstall, written into the server's root before it boots. rootPasswordHash is SHA-512 crypt, left out for
 * none; the password itself never reaches an agent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialsSpec(List<String> sshKeys, String rootPasswordHash) {
    /** The record's own text would show the hash in a log line. */
    @Override
    public String toString() {
        return "CredentialsSpec[" + sshKeys.size() + " keys, " + (rootPasswordHash == null ? "no password" : "a password hash") + "]";
    }
}
