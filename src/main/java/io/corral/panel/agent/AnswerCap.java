package io.corral.panel.agent;

import io.vertx.core.http.HttpConnection;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.jboss.resteasy.reactive.client.impl.ClientRequestContextImpl;
import org.jboss.resteasy.reactive.client.impl.PreservesThreadClientResponseFilter;

/**
 * Bounds what the panel reads of an agent's answer, in bytes and in time: an agent whose host was taken over could otherwise
 * make the panel hold an endless answer in memory, or read one for ever, a byte at a time. Past {@link #MAX_BYTES}, or past
 * the call's time for the whole body, the connection is closed and the read fails with {@link Refused}; so is a connection
 * whose answer is closed before its end (an answer the panel could not parse), not drained. The largest answers an agent
 * of this release gives are a batch of sampling rounds (about 20,000 server samples, 12 MB of its indented JSON) and an
 * exec's output (1 MiB of each stream, up to six times that escaped).
 */
final class AnswerCap implements PreservesThreadClientResponseFilter {
    static final int MAX_BYTES = 32 << 20;
    private final Duration time;

    /** time: how long the whole body may take to arrive. */
    AnswerCap(Duration time) {
        this.time = time;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (response.getEntityStream() != null) {
            // the client's own request context is the one way to the connection: JAX-RS gives none
            HttpConnection connection = ((ClientRequestContextImpl) request).getRestClientRequestContext()
                    .getVertxClientResponse().request().connection();
            response.setEntityStream(new Capped(response.getEntityStream(), connection, System.nanoTime() + time.toNanos()));
        }
    }

    /** An answer longer than {@link #MAX_BYTES}, or slower than its time. */
    static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final class Capped extends FilterInputStream {
        private final HttpConnection connection;
        private final long deadline;
        private long left = MAX_BYTES;
        private boolean ended;

        Capped(InputStream answer, HttpConnection connection, long deadline) {
            super(answer);
            this.connection = connection;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            // one byte more than is left, so that an answer of exactly the cap still ends
            int n = super.read(into, offset, (int) Math.min(length, left + 1));
            if (n > 0 && (left -= n) < 0) {
                throw refused("an answer longer than " + (MAX_BYTES >> 20) + " MiB");
            }
            if (System.nanoTime() - deadline > 0) {
                throw refused("an answer still arriving after " + time.toSeconds() + " s");
            }
            ended = n == -1;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)])); // counted as read is
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                connection.close();
            }
            super.close();
        }

        private Refused refused(String reason) {
            connection.close();
            return new Refused(reason);
        }
    }
}
