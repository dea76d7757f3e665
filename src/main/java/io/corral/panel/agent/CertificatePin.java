package io.corral.panel.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust in exactly one agent certificate, named by its SHA-256 fingerprint: agents' certificates
 * are self-signed and name no host, so the pin replaces both the authority and the hostname check.
 * Without a pin it trusts what it is shown and remembers it, to read an agent's certificate before
 * pinning it (no secret is sent on such a connection).
 */
public final class CertificatePin extends X509ExtendedTrustManager {
    /** A fingerprint as an admin may type it: 32 hexadecimal pairs, colons optional. */
    public static final String FINGERPRINT = "\\s*(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}\\s*";
    /** In ValidationMessages: in the page's language on a page, English from the API. */
    public static final String FINGERPRINT_RULE = "{corral.fingerprint}";
    private final String pinned;
    private volatile String presented;

    CertificatePin(String pinned) {
        this.pinned = pinned;
    }

    /** The agent presented another certificate than the pinned one. */
    static final class Mismatch extends CertificateException {
        Mismatch(String presented, String pinned) {
            super("its certificate does not match the pinned one: it presents SHA-256 " + presented + ", the panel pinned " + pinned
                    + " (another machine at that address, or the agent's key made anew: compare `corral-agent fingerprint` on the host)");
        }
    }

    /** A client TLS context trusting only the certificate with this fingerprint. */
    public static SSLContext sslContext(String fingerprint) {
        return new CertificatePin(fingerprint).context();
    }

    /** Trust in whatever certificate is presented, remembered: to read it, never to send anything. */
    static CertificatePin any() {
        return new CertificatePin(null);
    }

    /** The fingerprint in the form agents print it (AB:CD:...), whatever case and colons it was typed with. */
    public static String canonical(String fingerprint) {
        String hex = fingerprint.replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint of the certificate last presented, or null before any handshake. */
    String presented() {
        return presented;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        presented = fingerprint(chain[0]);
        if (pinned != null && !pinned.equals(presented)) {
            throw new Mismatch(presented, pinned);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the panel trusts agents, not clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
