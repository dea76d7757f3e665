package io.corral.agent;

import java.nio.file.Path;

/** Where the agent keeps its servers and templates; the default is /var/lib/corral. */
public record StateDir(Path root) {
    public static final Path DEFAULT = Path.of("/var/lib/corral");

    public Path servers() {
        return root.resolve("servers");
    }

    public Path server(String id) {
        return servers().resolve(id);
    }

    public Path templates() {
        return root.resolve("templates");
    }

    public Path locks() {
        return root.resolve("locks");
    }

    public Path secret() {
        return root.resolve("agent.secret");
    }
}
