package io.corral.panel.server;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a reinstall may change of root's credentials; left out, the server keeps its own. */
public record ReinstallRequest(
        @Schema(description = "SSH public keys for root, as in id_ed25519.pub (ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of "
                + "2,048 bits or more); at most 32. Replaces the server's keys; left out, it keeps them")
        List<String> sshKeys,
        @Schema(description = "A new root password, 12 to 128 characters; only its SHA-512 crypt hash is kept and sent. Left out, the "
                + "server keeps the one it has", writeOnly = true)
        String rootPassword) {

    /** The password is never shown, not even in a log line that prints a request. */
    @Override
    public String toString() {
        return "ReinstallRequest[sshKeys=" + sshKeys + ", rootPassword=" + (rootPassword == null ? "none" : "given") + "]";
    }
}
