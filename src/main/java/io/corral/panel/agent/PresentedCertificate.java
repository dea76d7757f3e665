package io.corral.panel.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** Reads which certificate an agent presents: a TLS handshake and nothing more, so no secret is sent. */
final class PresentedCertificate {
    private static final int TIMEOUT_MILLIS = 5000;

    private PresentedCertificate() {
    }

    /** The SHA-256 fingerprint of the certificate the agent at this https:// address presents. */
    static String fingerprint(String agentUrl) throws IOException {
        URI url = URI.create(agentUrl);
        int port = url.getPort() == -1 ? 443 : url.getPort();
        CertificatePin any = CertificatePin.any();
        try (Socket raw = new Socket(); SocketDeadline deadline = new SocketDeadline(raw, Duration.ofMillis(2 * TIMEOUT_MILLIS))) {
            raw.connect(new InetSocketAddress(url.getHost(), port), TIMEOUT_MILLIS);
            raw.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket tls = (SSLSocket) any.context().getSocketFactory().createSocket(raw, url.getHost(), port, true)) {
                tls.startHandshake();
            }
        }
        return any.presented();
    }
}
