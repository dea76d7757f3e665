package io.corral.agent.console;

import io.corral.agent.Await;
import io.corral.agent.PinnedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The panel's end of a console session, as the agent's protocol has it (see ConsoleServer). */
final class ConsoleClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final String answer;
    private volatile boolean ended;

    ConsoleClient(String fingerprint, int port, String token) throws IOException {
        socket = PinnedCertificate.context(fingerprint).getSocketFactory().createSocket("127.0.0.1", port);
        out = socket.getOutputStream();
        out.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        answer = line.toString(StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // closed
            }
            ended = true;
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The agent's first line: "ok" or "refused: ...". */
    String answer() {
        return answer;
    }

    void type(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(3 + bytes.length).put((byte) 'i').putShort((short) bytes.length).put(bytes).array());
        out.flush();
    }

    void resize(int rows, int columns) throws IOException {
        out.write(ByteBuffer.allocate(7).put((byte) 'r').putShort((short) 4).putShort((short) rows).putShort((short) columns).array());
        out.flush();
    }

    /** Raw bytes, for frames a broken panel might send. */
    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    String output() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the terminal has shown text; returns all it showed. */
    String awaitOutput(String text) {
        Await.until(WAIT, "the terminal to show '" + text + "', it showed: " + output(), () -> output().contains(text));
        return output();
    }

    void awaitEnd() {
        Await.until(WAIT, "the session to end", () -> ended);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
