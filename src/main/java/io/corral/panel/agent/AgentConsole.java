package io.corral.panel.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * One console session on a host agent's console listener (host-agent/README.md): TLS pinned to the
 * agent's certificate as every call is, the ticket's token, then frames for the terminal out and what
 * it writes back in. Frames carry at most {@link #MAX_INPUT} bytes of input each, the agent's bound.
 */
public final class AgentConsole implements AutoCloseable {
    static final int MAX_INPUT = 4096;
    private static final int CONNECT_MILLIS = 5000, MAX_ANSWER = 1024;
    /** How long the agent may take to connect, shake hands and answer the token, in all. */
    private static final Duration ANSWER = Duration.ofSeconds(15);
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private AgentConsole(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static AgentConsole connect(Agent agent, int port, String token) {
        String host = URI.create(agent.url()).getHost();
        SSLSocket socket = null;
        try {
            socket = (SSLSocket) CertificatePin.sslContext(agent.fingerprint()).getSocketFactory().createSocket();
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            String answer;
            AgentConsole console;
            try (SocketDeadline deadline = new SocketDeadline(socket, ANSWER)) {
                try {
                    socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout((int) ANSWER.toMillis());
                    console = new AgentConsole(socket);
                    console.out.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
                    console.out.flush();
                    answer = console.answer();
                } finally {
                    // what the socket's closing at the deadline cut short, however it surfaced (an error, or an end of input)
                    if (deadline.passed()) {
                        throw new SocketTimeoutException("no answer to the token within " + ANSWER.toSeconds() + " s");
                    }
                }
            }
            if (!answer.equals("ok")) {
                throw new AgentException(409, null, r -> r.agent_answered(agent.host(), answer.replaceFirst("^refused: ", "")));
            }
            socket.setSoTimeout(0);
            return console;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new AgentException(0, null, r -> r.agent_console_unreachable(agent.host(), host, port, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** The agent's answer to the token: one line; one cut short (the connection closed, or past its bound) is none. */
    private String answer() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0 || line.size() == MAX_ANSWER) {
                throw new IOException("no whole answer to the token (" + line.size() + " bytes, no end of line)");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Input for the terminal, in frames of at most {@link #MAX_INPUT} bytes; blocks while the agent is busy. */
    public synchronized void input(byte[] bytes) throws IOException {
        for (int from = 0; from < bytes.length; from += MAX_INPUT) {
            int length = Math.min(MAX_INPUT, bytes.length - from);
            out.write(ByteBuffer.allocate(3 + length).put((byte) 'i').putShort((short) length).put(bytes, from, length).array());
        }
        out.flush();
    }

    public synchronized void resize(int rows, int columns) throws IOException {
        out.write(ByteBuffer.allocate(7).put((byte) 'r').putShort((short) 4).putShort((short) rows).putShort((short) columns).array());
        out.flush();
    }

    /** What the terminal wrote, into buffer; -1 once the session has ended. */
    public int read(byte[] buffer) throws IOException {
        return in.read(buffer);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(SSLSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }
}
