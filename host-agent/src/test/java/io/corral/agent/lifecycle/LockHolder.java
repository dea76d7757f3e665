package io.corral.agent.lifecycle;

import io.corral.agent.StateDir;
import io.corral.agent.TestHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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

    /** Another process holding the test agent's lock of the server for the action, until closed. */
    static Holding hold(String id, String action) throws IOException {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                TestHost.agent().state().root().toString(), id, action).start();
        String said = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
        if (!"held".equals(said)) {
            holder.destroy();
            throw new IllegalStateException("the lock holder said " + said);
        }
        return new Holding(holder);
    }

    record Holding(Process holder) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            holder.getOutputStream().close();
            try {
                holder.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
