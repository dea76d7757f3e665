package io.corral.agent.console;

import io.corral.agent.AgentException;
import io.corral.agent.lifecycle.ServerManager;
import io.corral.agent.runtime.Terminal;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Console sessions: a login shell inside a running server on a terminal of its own (see
 * {@link Terminal}), streamed over a TLS listener of its own, as the JDK's HTTP server has no
 * streams both ways. The panel asks the API for a ticket (POST /v1/servers/{id}/console, with the
 * host's secret), connects here, sends the ticket's token and a newline, and is answered a line:
 * "ok", or "refused: " and why. Then the panel's bytes are frames for the terminal (a type byte, a
 * big-endian 16-bit length, that many bytes: 'i' input of at most 4096 bytes, 'r' rows and columns as
 * two 16-bit numbers) and the agent's bytes are what the terminal writes, until either side closes.
 * The session ends when the shell exits, when the panel closes, or when the server stops.
 *
 * Bounded: sessions by {@link ConsoleTickets}, each holding two threads and two fixed buffers;
 * connections still delivering their token by {@link #MAX_HANDSHAKES}, each within {@link #HANDSHAKE_MILLIS}.
 */
public final class ConsoleServer {
    private static final Logger LOG = Logger.getLogger(ConsoleServer.class.getName());
    static final int MAX_HANDSHAKES = 16;
    static final int HANDSHAKE_MILLIS = 10_000;
    private static final int MAX_TOKEN = 64, BUFFER = 16384;
    private final SSLServerSocket listener;
    private final ServerManager servers;
    private final ConsoleTickets tickets;
    private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES);

    /** What the panel needs to open a session: the token and the port to present it on. */
    public record Ticket(String token, int port) {
    }

    private ConsoleServer(SSLServerSocket listener, ServerManager servers, ConsoleTickets tickets) {
        this.listener = listener;
        this.servers = servers;
        this.tickets = tickets;
    }

    /** Listens on address:port (0: any free port); perServer: the sessions a server may hold at once. */
    public static ConsoleServer start(ServerManager servers, SSLContext tls, String address, int port, int perServer) throws IOException {
        ConsoleTickets tickets = new ConsoleTickets(perServer);
        SSLServerSocket listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, 64, InetAddress.getByName(address));
        listener.setEnabledProtocols(new String[] {"TLSv1.3"});
        ConsoleServer server = new ConsoleServer(listener, servers, tickets);
        Thread accepting = new Thread(server::accept, "console-accept");
        accepting.setDaemon(true);
        accepting.start();
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A ticket for a session of the running server; 409 if it does not run, 429 past a bound. */
    public Ticket ticket(String id) {
        servers.access().requireRunning(id);
        return new Ticket(tickets.issue(id), port());
    }

    public void stop() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                if (!handshakes.tryAcquire()) {
                    socket.close();
                    continue;
                }
                Thread session = new Thread(() -> serve(socket), "console");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.log(Level.WARNING, "console listener: " + e.getMessage());
                }
            }
        }
    }

    /** Once its ticket is redeemed, the session's place is given back however the connection ends. */
    private void serve(Socket socket) {
        ConsoleTickets.Ticket ticket = null;
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            OutputStream out = socket.getOutputStream();
            Terminal terminal;
            try {
                ticket = tickets.redeem(token(socket, in)).orElse(null);
                if (ticket == null) {
                    answer(out, "refused: no such console ticket (each is good once, for " + ConsoleTickets.LIFETIME.toSeconds() + " s)");
                    return;
                }
                try {
                    terminal = servers.access().terminal(ticket.server());
                } catch (AgentException e) {
                    answer(out, "refused: " + e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    // out of descriptors or processes: the host's trouble, told to the log, not to the customer
                    LOG.log(Level.WARNING, "console of server " + ticket.server() + ": " + e.getMessage(), e);
                    answer(out, "refused: the host could not open a terminal; try again later");
                    return;
                }
            } finally {
                handshakes.release();
            }
            try {
                socket.setSoTimeout(0);
                answer(out, "ok");
            } catch (IOException e) {
                terminal.hangUp();
                terminal.close();
                throw e;
            }
            relay(socket, in, out, terminal);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "console connection: " + e.getMessage());
        } finally {
            if (ticket != null) {
                tickets.release(ticket);
            }
        }
    }

    /** The token line, read within the handshake's time however slowly it comes. */
    private static String token(Socket socket, InputStream in) throws IOException {
        long deadline = System.nanoTime() + HANDSHAKE_MILLIS * 1_000_000L;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() <= MAX_TOKEN) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no token within " + HANDSHAKE_MILLIS + " ms");
            }
            socket.setSoTimeout((int) left);
            int b = in.read();
            if (b < 0 || b == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return "";
    }

    private static void answer(OutputStream out, String line) throws IOException {
        out.write((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * The panel's frames go to the terminal on a thread of their own; the terminal's output comes
     * back on this one. Once the panel has gone the output is still read, and dropped, until the
     * session has ended, so the helper is never stuck writing to nobody.
     */
    private static void relay(Socket socket, InputStream in, OutputStream out, Terminal terminal) {
        Thread frames = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    terminal.write(buffer, n);
                }
            } catch (IOException | RuntimeException e) {
                // the panel or the helper has gone: either way the session ends
            } finally {
                terminal.hangUp();
            }
        }, "console-input");
        frames.setDaemon(true);
        frames.start();
        byte[] buffer = new byte[BUFFER];
        boolean panelGone = false;
        try {
            for (int n; (n = terminal.read(buffer)) > 0; ) {
                if (!panelGone) {
                    try {
                        out.write(buffer, 0, n);
                        out.flush();
                    } catch (IOException e) {
                        panelGone = true;
                        closeQuietly(socket);
                    }
                }
            }
        } finally {
            // a read that failed too: the closed socket ends the frames' thread, which hangs the terminal up
            closeQuietly(socket);
            try {
                frames.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            terminal.close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
