package io.corral.panel.common;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The rules of the secrets the panel is given, checked before anything else at start, so that a secret
 * that breaks one stops the panel with a message naming the setting and the rule, instead of failing
 * later and quietly: Quarkus replaces a session key shorter than 32 characters with a random one of its
 * own (sessions then end at every restart and differ between panel instances), and Keycloak refuses a
 * first admin whose password breaks the realm's policy, length(12) and notUsername.
 */
@ApplicationScoped
public class SecretRules {
    static final int SESSION_KEY_LENGTH = 32, ADMIN_PASSWORD_LENGTH = 12;

    @ConfigProperty(name = "quarkus.oidc.credentials.secret")
    Optional<String> panelClientSecret;
    @ConfigProperty(name = "corral.first-admin.username")
    Optional<String> adminUsername;
    @ConfigProperty(name = "corral.first-admin.password")
    Optional<String> adminPassword;

    void check(@Observes @Priority(1) StartupEvent start) {
        List<String> broken = broken(panelClientSecret.orElse(""), adminUsername, adminPassword);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("the panel does not start: " + String.join("; ", broken));
        }
    }

    /** What breaks the rules, one sentence each naming the setting; empty when nothing does. */
    static List<String> broken(String panelClientSecret, Optional<String> adminUsername, Optional<String> adminPassword) {
        List<String> broken = new ArrayList<>();
        if (panelClientSecret.length() < SESSION_KEY_LENGTH) {
            broken.add("CORRAL_PANEL_CLIENT_SECRET has " + panelClientSecret.length() + " characters and needs at least "
                    + SESSION_KEY_LENGTH + ": it is the corral-panel client's secret in Keycloak and the key of the session cookies");
        }
        if (adminPassword.isPresent() && adminUsername.isPresent()) {
            String password = adminPassword.get();
            if (password.length() < ADMIN_PASSWORD_LENGTH) {
                broken.add("CORRAL_FIRST_ADMIN_PASSWORD has " + password.length() + " characters and needs at least "
                        + ADMIN_PASSWORD_LENGTH + " (the realm's password policy)");
            }
            if (password.equalsIgnoreCase(adminUsername.get())) {
                broken.add("CORRAL_FIRST_ADMIN_PASSWORD is the first admin's username, which the realm's password policy refuses");
            }
        }
        return broken;
    }
}
