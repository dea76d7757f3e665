package io.corral.panel.agent;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a socket to an agent at a deadline unless closed first: a read timeout bounds one read, not a TLS handshake or
 * an answer an agent trickles a byte at a time.
 */
final class SocketDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor CLOSER = new ScheduledThreadPoolExecutor(1, work -> {
        Thread thread = new Thread(work, "agent-socket-deadline");
        thread.setDaemon(true);
        return thread;
    });

    static {
        CLOSER.setRemoveOnCancelPolicy(true); // a deadline met lets go of its socket at once
    }
    private final ScheduledFuture<?> closing;
    private final AtomicBoolean passed = new AtomicBoolean();

    SocketDeadline(Socket socket, Duration within) {
        closing = CLOSER.schedule(() -> {
            passed.set(true);
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }, within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the deadline passed and the socket was closed: what was read from it since may be cut short. */
    boolean passed() {
        return passed.get();
    }

    /** The socket is left open: what the deadline bounded has ended in time. */
    @Override
    public void close() {
        closing.cancel(false);
    }
}
