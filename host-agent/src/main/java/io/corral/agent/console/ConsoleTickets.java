package io.corral.agent.console;

import io.corral.agent.AgentException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Console sessions a server may hold, counted from the ticket that asks for one until the session
 * ends: at most {@code perServer} per server and {@link #PER_HOST} on the host, past which a ticket
 * is refused (429) naming the bound. A ticket is a one-time token, good for {@link #LIFETIME}: the
 * panel gets it over the authenticated API and presents it on the console port; unused, it gives
 * its place back when it lapses.
 */
final class ConsoleTickets {
    /** Each session holds two of the agent's threads and two processes. */
    static final int PER_HOST = 32;
    static final Duration LIFETIME = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int perServer;
    private final Map<String, Ticket> unused = new HashMap<>();
    private final Map<String, Integer> held = new HashMap<>();
    private int total;

    /** A place taken for a server's session; closing it gives the place back. */
    record Ticket(String server, long expiresNanos) {
    }

    ConsoleTickets(int perServer) {
        if (perServer < 1 || perServer > PER_HOST) {
            throw AgentException.invalid("--console-sessions", "must be between 1 and " + PER_HOST);
        }
        this.perServer = perServer;
    }

    /** A one-time token for a session of the server, or a 429 naming the bound it would pass. */
    synchronized String issue(String server) {
        lapse();
        int count = held.getOrDefault(server, 0);
        if (count >= perServer) {
            throw AgentException.tooMany("server " + server + " already has " + perServer
                    + " console sessions open, the most it may; close one first");
        }
        if (total >= PER_HOST) {
            throw AgentException.tooMany("this host already has " + PER_HOST + " console sessions open, the most it may");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        unused.put(token, new Ticket(server, System.nanoTime() + LIFETIME.toNanos()));
        held.merge(server, 1, Integer::sum);
        total++;
        return token;
    }

    /** The ticket for the token, once: its place stays taken until {@link #release}. */
    synchronized Optional<Ticket> redeem(String token) {
        lapse();
        return Optional.ofNullable(unused.remove(token));
    }

    /** Gives a redeemed ticket's place back, when its session has ended. */
    synchronized void release(Ticket ticket) {
        held.computeIfPresent(ticket.server(), (k, n) -> n == 1 ? null : n - 1);
        total--;
    }

    private void lapse() {
        long now = System.nanoTime();
        for (Iterator<Ticket> i = unused.values().iterator(); i.hasNext(); ) {
            Ticket ticket = i.next();
            if (now - ticket.expiresNanos() > 0) {
                i.remove();
                release(ticket);
            }
        }
    }
}
