package io.corral.agent.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Loop devices, attached with autoclear so that they detach by themselves once unmounted. */
public final class Loop {
    private static final long LOOP_CTL_GET_FREE = 0x4C82, LOOP_CONFIGURE = 0x4C0A;
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
                String device = "/dev/loop" + number;
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
}
