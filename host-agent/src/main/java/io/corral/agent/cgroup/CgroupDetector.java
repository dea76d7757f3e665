package io.corral.agent.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Chooses the cgroup backend from what is mounted: cgroup2 at /sys/fs/cgroup, or v1 controllers beneath it. */
final class CgroupDetector {
    private CgroupDetector() {
    }

    static Cgroups detect(Path mountinfo, String parent) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean v1Memory = false, unified = false;
        for (String line : lines) {
            // mountinfo: id parent major:minor root mountpoint options ... - fstype source superoptions
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            String[] right = halves.length > 1 ? halves[1].split(" ") : new String[0];
            if (left.length < 5 || right.length < 1) {
                continue;
            }
            String mountPoint = left[4];
            String fsType = right[0];
            if (mountPoint.equals("/sys/fs/cgroup") && fsType.equals("cgroup2")) {
                return new CgroupV2(Path.of("/sys/fs/cgroup"), parent, true);
            }
            if (mountPoint.equals("/sys/fs/cgroup/memory") && fsType.equals("cgroup")) {
                v1Memory = true;
            }
            if (mountPoint.equals("/sys/fs/cgroup/unified") && fsType.equals("cgroup2")) {
                unified = true;
            }
        }
        if (v1Memory) {
            return new CgroupV1(Path.of("/sys/fs/cgroup"), parent, unified);
        }
        throw new IllegalStateException("no usable cgroup hierarchy: neither cgroup2 at /sys/fs/cgroup nor a cgroup v1 memory controller at /sys/fs/cgroup/memory");
    }
}
