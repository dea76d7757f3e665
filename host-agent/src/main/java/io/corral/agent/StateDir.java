package io.corral.agent;

import java.nio.file.Path;

/** Where the agent keeps its servers and templates; the default is /var/lib/corral. */
public record StateDir(Path root) {
    public static final Path DEFAULT = Path.of("/var/lib/corral");

    /** The directory by its absolute, normal path (the cgroup parent's name is made from it). */
    public static StateDir of(Path dir) {
        return new StateDir(dir.toAbsolutePath().normalize());
    }

    public Path servers() {
        return root.resolve("servers");
    }

    public Path server(String id) {
        return servers().resolve(id);
    }

    public Path templates() {
        return root.resolve("templates");
    }

    /** The spool of samples the panel has yet to take. */
    public Path samples() {
        return root().resolve("samples");
    }

    /** The backup store unless the admin names another (--backup-dir). */
    public Path backups() {
        return root.resolve("backups");
    }

    public Path locks() {
        return root.resolve("locks");
    }

    /** The parent cgroup of this state directory's servers: its {@link #instance()}. */
    public String cgroupParent() {
        return instance();
    }

    /**
     * This agent's name among what a host holds for all (cgroups, nftables tables, interface names):
     * "corral" for the default directory, and a name derived from the path for any other, so agents
     * with different state directories on one host (tests, a second installation) never share one.
     */
    public String instance() {
        if (root.equals(DEFAULT)) {
            return "corral";
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "corral-" + java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path secret() {
        return root.resolve("agent.secret");
    }

    /** The agent's TLS key and certificate. */
    public Path tls() {
        return root.resolve("tls");
    }
}
