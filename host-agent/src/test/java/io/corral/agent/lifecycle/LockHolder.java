package io.corral.agent.lifecycle;

import io.corral.agent.StateDir;
import java.nio.file.Path;

/** A second process holding a server's lock, as a CLI running a long action would: prints "held", waits for stdin to close. */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        ServerLock locks = new ServerLock(new StateDir(Path.of(args[0])));
        try (ServerLock.Held held = locks.acquire(args[1], Action.valueOf(args[2]))) {
            System.out.println("held");
            System.out.flush();
            System.in.read();
        }
    }
}
