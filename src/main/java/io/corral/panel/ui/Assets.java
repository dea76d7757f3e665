package io.corral.panel.ui;

import io.quarkus.qute.TemplateGlobal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The pages' own scripts and styles are addressed with their version ({assetVersion}): browsers keep them for a day, and a
 * script older than the page it runs on misreads it (a badge's state compared with its translated text reloaded the page
 * every two seconds).
 */
@TemplateGlobal
public class Assets {
    private static final String[] FILES = {"corral.js", "corral.css"};
    /** A hash of the files' contents: the same on every panel while they are the same. */
    static final String assetVersion = hash();

    private Assets() {
    }

    private static String hash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("META-INF/resources/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the page asset " + file + " is missing from the panel");
                    }
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
