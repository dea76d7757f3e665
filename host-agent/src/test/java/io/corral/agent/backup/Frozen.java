package io.corral.agent.backup;

import io.corral.agent.cgroup.Cgroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a server's group is frozen, read from the kernel's own files (v1's freezer.state, v2's cgroup.events). */
final class Frozen {
    private Frozen() {
    }

    static boolean group(Cgroups cgroups, String group) {
        try {
            if (cgroups.version().equals("v2")) {
                return Files.readAllLines(cgroups.file("", group, "cgroup.events")).contains("frozen 1");
            }
            Path state = cgroups.file("freezer", group, "freezer.state");
            return Files.exists(state) && !Files.readString(state).trim().equals("THAWED");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
