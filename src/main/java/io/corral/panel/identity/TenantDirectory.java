package io.corral.panel.identity;

import static io.corral.panel.identity.KeycloakCalls.call;
import static io.corral.panel.identity.KeycloakCalls.undo;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The Keycloak side of tenants: a group per tenant under /tenants (its members are the tenant's
 * customers; the group's path reaches tokens as the "tenant" claim) and the users in it. Every change
 * either completes or undoes the steps it took, so a failure leaves nothing half-made in Keycloak.
 */
@ApplicationScoped
public class TenantDirectory {
    static final String TENANTS = "/tenants/";

    @Inject
    Keycloak keycloak;
    @ConfigProperty(name = "quarkus.keycloak.admin-client.realm")
    String realmName;

    /** A user made by the panel, with the temporary password shown once to whoever made it. */
    public record NewUser(String username, String temporaryPassword) {
    }

    public record Member(String id, String username, String email, boolean enabled, boolean owner, boolean passwordSet) {
    }

    /** The tenant's group and its owner (role tenant-owner), who must pick a new password at first sign-in. */
    public NewUser createTenant(String slug, String ownerEmail) {
        return call(Refusals::keycloak_create_tenant, () -> {
            RealmResource realm = realm();
            GroupRepresentation group = new GroupRepresentation();
            group.setName(slug);
            String groupId;
            try (Response created = realm.groups().group(parentGroupId(realm)).subGroup(group)) {
                if (created.getStatus() == 409) {
                    throw new DomainException(DomainException.Kind.CONFLICT, "slug", r -> r.keycloak_group_exists(TENANTS + slug));
                }
                groupId = CreatedResponseUtil.getCreatedId(created);
            }
            try {
                return addUser(realm, slug, ownerEmail, true);
            } catch (RuntimeException e) {
                undo("group " + TENANTS + slug, () -> realm.groups().group(groupId).remove());
                throw e;
            }
        });
    }

    /** A further user of the tenant (a customer, not an owner). */
    public NewUser invite(String slug, String email) {
        return call(Refusals::keycloak_invite, () -> addUser(realm(), slug, email, false));
    }

    public List<Member> members(String slug) {
        return call(Refusals::keycloak_list_users, () -> {
            RealmResource realm = realm();
            return group(realm, slug).map(g -> realm.groups().group(g.getId()).members(0, 1000).stream()
                    .filter(u -> TenantClients.clientOf(u).isEmpty())
                    .map(u -> new Member(u.getId(), u.getUsername(), u.getEmail(), Boolean.TRUE.equals(u.isEnabled()),
                            realm.users().get(u.getId()).roles().realmLevel().listEffective().stream()
                                    .anyMatch(r -> r.getName().equals(CurrentUser.TENANT_OWNER)),
                            u.getRequiredActions() == null || !u.getRequiredActions().contains("UPDATE_PASSWORD")))
                    .toList()).orElse(List.of());
        });
    }

    /**
     * Enables or disables every user of the tenant; disabling also ends their sessions. On a failure the
     * users already changed are changed back.
     */
    public void setEnabled(String slug, boolean enabled) {
        call(enabled ? Refusals::keycloak_enable_users : Refusals::keycloak_disable_users, () -> {
            RealmResource realm = realm();
            List<UserRepresentation> changed = new ArrayList<>();
            try {
                for (UserRepresentation u : members(realm, slug)) {
                    if (Boolean.TRUE.equals(u.isEnabled()) != enabled) {
                        setEnabled(realm, u, enabled);
                        changed.add(u);
                    }
                    if (!enabled) {
                        realm.users().get(u.getId()).logout();
                    }
                }
            } catch (RuntimeException e) {
                changed.forEach(u -> undo("user " + u.getUsername(), () -> setEnabled(realm, u, !enabled)));
                throw e;
            }
            return null;
        });
    }

    /**
     * Removes the tenant's users, its API clients (with their service accounts) and its group; what is already gone
     * is skipped, so a retry finishes the job.
     */
    public void deleteTenant(String slug) {
        call(Refusals::keycloak_delete_tenant, () -> {
            RealmResource realm = realm();
            for (UserRepresentation u : members(realm, slug)) {
                Optional<String> client = TenantClients.clientOf(u);
                if (client.isPresent()) {
                    TenantClients.delete(realm, client.get());
                } else {
                    realm.users().delete(u.getId()).close();
                }
            }
            group(realm, slug).ifPresent(g -> realm.groups().group(g.getId()).remove());
            return null;
        });
    }

    private NewUser addUser(RealmResource realm, String slug, String email, boolean owner) {
        String password = Passwords.temporary();
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(true);
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setEnabled(true);
        user.setGroups(List.of(TENANTS + slug));
        user.setCredentials(List.of(credential));
        user.setRequiredActions(List.of("UPDATE_PASSWORD"));
        String userId;
        try (Response created = realm.users().create(user)) {
            if (created.getStatus() == 409) {
                throw new DomainException(DomainException.Kind.CONFLICT, "ownerEmail", r -> r.keycloak_user_exists(email));
            }
            userId = CreatedResponseUtil.getCreatedId(created);
        }
        if (owner) {
            try {
                realm.users().get(userId).roles().realmLevel().add(List.of(realm.roles().get(CurrentUser.TENANT_OWNER).toRepresentation()));
            } catch (RuntimeException e) {
                undo("user " + email, () -> realm.users().delete(userId).close());
                throw e;
            }
        }
        return new NewUser(email, password);
    }

    private static void setEnabled(RealmResource realm, UserRepresentation u, boolean enabled) {
        UserRepresentation change = new UserRepresentation();
        change.setEnabled(enabled);
        realm.users().get(u.getId()).update(change);
    }

    private List<UserRepresentation> members(RealmResource realm, String slug) {
        return group(realm, slug).map(g -> realm.groups().group(g.getId()).members(0, 1000)).orElse(List.of());
    }

    static Optional<GroupRepresentation> group(RealmResource realm, String slug) {
        try {
            return Optional.of(realm.getGroupByPath(TENANTS + slug));
        } catch (jakarta.ws.rs.NotFoundException e) {
            return Optional.empty();
        }
    }

    private static String parentGroupId(RealmResource realm) {
        return realm.getGroupByPath(TENANTS.substring(0, TENANTS.length() - 1)).getId();
    }

    private RealmResource realm() {
        return keycloak.realm(realmName);
    }
}
