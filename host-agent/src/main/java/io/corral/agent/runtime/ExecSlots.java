package io.corral.agent.runtime;

import io.corral.agent.AgentException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many commands run in servers at once, per server and on the whole host: each holds a thread
 * of the agent and two processes until it ends, so without a bound a customer's commands could take
 * as many as it sends. Past a bound the exec is refused at once (429), naming it. The bound per server
 * is a quarter of the host's: one customer's server leaves room for the others.
 */
public final class ExecSlots {
    static final int PER_SERVER = 4, PER_HOST = 16;
    private final Semaphore host = new Semaphore(PER_HOST);
    private final Map<String, Semaphore> servers = new ConcurrentHashMap<>();

    /** A slot for one exec in the server, released when closed. */
    public Slot take(String id) {
        Semaphore server = servers.computeIfAbsent(id, k -> new Semaphore(PER_SERVER));
        if (!server.tryAcquire()) {
            throw AgentException.tooMany("server " + id + " already runs " + PER_SERVER + " commands, the most it may at once;"
                    + " try again when one has finished");
        }
        if (!host.tryAcquire()) {
            server.release();
            throw AgentException.tooMany("this host already runs " + PER_HOST + " commands in its servers, the most it may"
                    + " at once; try again when one has finished");
        }
        return () -> {
            host.release();
            server.release();
        };
    }

    /** Forgets a destroyed server's bound. */
    public void forget(String id) {
        servers.remove(id);
    }

    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
