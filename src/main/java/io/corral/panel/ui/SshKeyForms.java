package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.credential.CredentialService;
import io.corral.panel.credential.SshKey;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The SSH keys section of a server's page: each form changes the keys as they are now (adds one at the end,
 * removes the one with a fingerprint) and saves them whole through the same service as the API.
 */
@Path("/servers/{id}/ssh-keys")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class SshKeyForms {
    @Inject
    CredentialService credentials;
    @Inject
    Language language;

    @POST
    public Response add(@PathParam("id") long id, @FormParam("key") String key) {
        return change(id, keys -> {
            List<SshKey> added = new ArrayList<>(keys);
            added.add(SshKey.parse(key, "key"));
            return added;
        });
    }

    /** By fingerprint, which the page shows: a page shown before another change removes nothing else. */
    @POST
    @Path("remove")
    public Response remove(@PathParam("id") long id, @FormParam("fingerprint") String fingerprint) {
        return change(id, keys -> {
            List<SshKey> kept = keys.stream().filter(k -> !k.fingerprint().equals(fingerprint)).toList();
            if (kept.size() == keys.size()) {
                throw DomainException.invalid("fingerprint", r -> r.ssh_key_form_gone());
            }
            return kept;
        });
    }

    private Response change(long id, UnaryOperator<List<SshKey>> change) {
        String page = "/servers/" + id;
        try {
            credentials.change(id, change, null);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            return Redirects.withError(page, language.refusal(e));
        }
        return Redirects.to(page + "?notice=ssh-keys#ssh-keys");
    }
}
