package io.corral.agent.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The control groups of virtual servers, one group per server, whatever the host runs: the v1 or
 * v2 backend is chosen once at start-up by {@link #detect}. Units are converted in the backends.
 */
public interface Cgroups {
    /** "v1" or "v2". */
    String version();

    /** Creates the server's group (or keeps it) and applies its limits. */
    void apply(String group, CgroupLimits limits);

    /**
     * The files a single-threaded process writes "0" to in order to join the group itself: on cgroup v1
     * each controller's "tasks" (moving the calling thread spares the kernel its global threadgroup
     * lock, which moving a whole process takes), on cgroup v2 cgroup.procs.
     */
    List<Path> joinFiles(String group);

    /** Host pids of the processes in the group; empty if the group does not exist. */
    Set<Integer> pids(String group);

    /** Removes the group, and the agent's parent group with it if that is now empty; its processes must have ended. */
    void remove(String group);

    CgroupStats stats(String group);

    /**
     * Stops every process of the group where it stands (v1's freezer, v2's cgroup.freeze) and waits until all
     * are stopped; if they are not within patience, thaws the group again and fails. False where the host
     * has no freezer for the group (a v1 host without that hierarchy): nothing was frozen.
     */
    boolean freeze(String group, Duration patience);

    /** Lets the group's processes run again; nothing where the group is not frozen or does not exist. */
    void thaw(String group);

    /** Whether swap can be limited separately from memory here. */
    boolean limitsSwap();

    /**
     * Whether this host holds a server to the device allow-list: cgroup v1's devices controller, or on
     * cgroup v2 the device program attached to the group. Where not, a server gets no mknod instead.
     */
    boolean controlsDevices();

    /** The group's control files, for admins and tests: controller-relative file name → path. */
    Path file(String controller, String group, String file);

    /** The backend for what this host has mounted, with the servers' groups beneath the named parent group. */
    static Cgroups detect(String parent) {
        return CgroupDetector.detect(Path.of("/proc/self/mountinfo"), parent);
    }
}
