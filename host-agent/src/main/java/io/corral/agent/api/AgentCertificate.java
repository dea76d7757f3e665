package io.corral.agent.api;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.corral.agent.StateDir;
import io.corral.agent.sys.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The agent's TLS key and self-signed certificate, made at first use by the JDK's keytool into
 * <state>/tls/agent.p12 (the directory 0700, the file 0600); once made, only read (a container may
 * mount the state read-only to show the fingerprint). The panel pins the certificate by its
 * SHA-256 fingerprint when the host is registered, so the certificate names no host and no
 * authority signs it. The keystore's password is no secret: PKCS12 needs one, and the file's mode
 * is what keeps the key, as for agent.secret.
 */
public final class AgentCertificate {
    private static final char[] PASSWORD = "corral-agent".toCharArray();
    private static final String ALIAS = "agent";
    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private AgentCertificate(KeyStore keyStore) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
    }

    /** The host's certificate, made on first use. */
    public static AgentCertificate loadOrCreate(StateDir state) {
        Path file = state.tls().resolve("agent.p12");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(state.tls());
                Files.setPosixFilePermissions(state.tls(), PosixFilePermissions.fromString("rwx------"));
                // `serve` and `fingerprint` may start at once on a new host: one of them makes the key
                try (FileChannel lockFile = FileChannel.open(state.tls().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = lockFile.lock()) {
                    if (!Files.exists(file)) {
                        create(file);
                    }
                }
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                keyStore.load(in, PASSWORD);
            }
            return new AgentCertificate(keyStore);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An EC P-256 key and a certificate for it, written whole or not at all. */
    private static void create(Path file) throws IOException {
        Path building = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(building);
        Command.run(Map.of("KEYSTORE_PASSWORD", new String(PASSWORD)),
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keystore", building.toString(), "-storetype", "PKCS12", "-storepass:env", "KEYSTORE_PASSWORD",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=corral-agent", "-validity", "36500");
        Files.setPosixFilePermissions(building, PosixFilePermissions.fromString("rw-------"));
        Files.move(building, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** SHA-256 of the certificate (DER), as keytool and openssl print it: AB:CD:... */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK HTTPS server's setup presenting this certificate, TLS 1.3 only (the API's, and bench/StandInAgent's). */
    public HttpsConfigurator httpsConfigurator() {
        return new HttpsConfigurator(serverContext()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters tls = getSSLContext().getDefaultSSLParameters();
                tls.setProtocols(new String[] {"TLSv1.3"});
                params.setSSLParameters(tls);
            }
        };
    }

    /** A TLS 1.3 server context presenting this certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS with the agent's key: " + e.getMessage(), e);
        }
    }
}
