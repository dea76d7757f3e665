package io.corral.agent.cgroup;

/**
 * Disk IO a server's group may do on one block device (major:minor, its loop device): MiB per second and
 * operations per second, each for reads and for writes alike; 0 is no limit.
 */
public record IoLimit(String device, long mibPerSecond, long iops) {
}
