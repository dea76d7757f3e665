package io.corral.agent.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Loop devices, attached with autoclear so that they detach by themselves once unmounted. */
public final class Loop {
    private static final long LOOP_CTL_GET_FREE = 0x4C82, LOOP_CONFIGURE = 0x4C0A;
    private static final int LOOP_MAJOR = 7;
    private static final int LO_FLAGS_AUTOCLEAR = 4;
    // struct loop_config: __u32 fd; __u32 block_size; struct loop_info64 info (232 bytes); __u64 reserved[8]
    private static final int CONFIG_SIZE = 304, FLAGS_OFFSET = 8 + 52;
    private static final int ATTEMPTS = 8;

    private Loop() {
    }

    /** Attaches the image to a free loop device and mounts it; the device detaches when the mount goes. */
    public static void mount(String image, String target, String fstype, long flags) {
        int imageFd = Sys.open(image, Sys.O_RDWR);
        try {
            for (int attempt = 1; ; attempt++) {
                int control = Sys.open("/dev/loop-control", Sys.O_RDWR);
                int number;
                try {
                    number = Sys.ioctl(control, LOOP_CTL_GET_FREE, 0L, "/dev/loop-control, LOOP_CTL_GET_FREE");
                } finally {
                    Sys.close(control);
                }
                String device = node(number);
                int deviceFd = Sys.open(device, Sys.O_RDWR);
                try {
                    Pointer config = Memory.allocateDirect(Sys.runtime(), CONFIG_SIZE, true);
                    config.putInt(0, imageFd);
                    config.putInt(FLAGS_OFFSET, LO_FLAGS_AUTOCLEAR);
                    try {
                        Sys.ioctl(deviceFd, LOOP_CONFIGURE, config, device + ", LOOP_CONFIGURE, " + image);
                    } catch (SysCallException e) {
                        // Another process took the same free device between the two calls.
                        if (e.errno() == Errno.EBUSY && attempt < ATTEMPTS) {
                            continue;
                        }
                        throw e;
                    }
                    Sys.mount(device, target, fstype, flags, null);
                    return;
                } finally {
                    Sys.close(deviceFd);
                }
            }
        } finally {
            Sys.close(imageFd);
        }
    }

    /**
     * The node of the loop device the kernel handed out, made in the agent's /dev if it is missing: the
     * kernel adds loop devices when asked for a free one, but the /dev of a container is a copy taken
     * when it started, so an agent in one would find no node for them. Only that device is made, with
     * the numbers sysfs gives it and only if they are a loop device's; a node already there must be it.
     */
    static String node(int number) {
        String device = "/dev/loop" + number;
        String sysfs = "/sys/class/block/loop" + number + "/dev";
        String numbers = Sys.readSmallFile(sysfs);
        String[] majorMinor = numbers == null ? new String[0] : numbers.trim().split(":");
        if (majorMinor.length != 2 || !majorMinor[0].equals(Integer.toString(LOOP_MAJOR)) || !majorMinor[1].matches("[0-9]{1,7}")) {
            throw new IllegalStateException("the kernel handed out loop device " + number + " but " + sysfs
                    + " gives " + (numbers == null ? "nothing" : "'" + numbers.trim() + "'") + ", not a loop device's numbers (" + LOOP_MAJOR + ":minor)");
        }
        int minor = Integer.parseInt(majorMinor[1]);
        Path path = Path.of(device);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Sys.mknodBlock(device, 0600, LOOP_MAJOR, minor);
            } catch (SysCallException e) {
                if (e.errno() != Errno.EEXIST) { // else another server's mount made it meanwhile
                    throw e;
                }
            }
        }
        try {
            Map<String, Object> node = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            if (((int) node.get("mode") & Sys.S_IFMT) != Sys.S_IFBLK || (long) node.get("rdev") != Sys.makedev(LOOP_MAJOR, minor)) {
                throw new IllegalStateException(device + " is not loop device " + number + " (block " + LOOP_MAJOR + ":" + minor
                        + "): remove it, and the agent makes the right node");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + device + ": " + e.getMessage(), e);
        }
        return device;
    }
}
