package io.corral.panel.identity;

import io.corral.panel.common.CurrentUser;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.jboss.logging.Logger;

/**
 * A fresh installation has no one who could sign in to the panel. When corral.first-admin.username and
 * .password are set and that user does not exist yet, it is made at start-up with the role admin and
 * the password as a temporary one: Keycloak asks for a new password at the first sign-in.
 */
@ApplicationScoped
public class FirstAdmin {
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    @Inject
    Keycloak keycloak;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.realm")
    String realmName;
    @Inject
    FirstAdminConfig config;

    void onStart(@Observes StartupEvent start) {
        if (config.username().isEmpty() || config.password().isEmpty()) {
            return;
        }
        String username = config.username().get();
        try {
            RealmResource realm = keycloak.realm(realmName);
            if (!realm.users().searchByUsername(username, true).isEmpty()) {
                return;
            }
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(config.password().get());
            credential.setTemporary(true);
            UserRepresentation user = new UserRepresentation();
            user.setUsername(username);
            user.setEnabled(true);
            user.setCredentials(List.of(credential));
            String id;
            try (var created = realm.users().create(user)) {
                id = CreatedResponseUtil.getCreatedId(created);
            }
            realm.users().get(id).roles().realmLevel().add(List.of(realm.roles().get(CurrentUser.ADMIN).toRepresentation()));
            LOG.infof("made the first admin %s in Keycloak realm %s", username, realmName);
        } catch (RuntimeException e) {
            LOG.errorf("could not make the first admin %s in Keycloak (%s); the panel runs, but no one may be able to sign in as admin",
                    username, e.getMessage());
        }
    }
}
