package io.corral.panel.credential;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.server.OperationView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/servers/{id}/ssh-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class SshKeyResource {
    @Inject
    CredentialService credentials;

    /** A server's keys whole, as GET answers and PUT takes them. */
    public record SshKeys(@Schema(description = "authorized_keys lines: type, base64 and an optional comment; at most 32")
                          @NotNull List<String> sshKeys) {
    }

    /** A key as GET shows it: its line, and its parts and fingerprint as ssh-keygen -l shows them. */
    public record ShownKey(String key, String type, String comment, String fingerprint) {
        static ShownKey of(SshKey k) {
            return new ShownKey(k.line(), k.type(), k.comment(), k.fingerprint());
        }
    }

    public record ShownKeys(List<String> sshKeys, List<ShownKey> details) {
    }

    @GET
    @Operation(summary = "Root's SSH public keys on the server, in order, each with its fingerprint",
            description = "Customers see their tenant's servers only: another's answers 404.")
    public ShownKeys get(@PathParam("id") long id) {
        List<SshKey> keys = credentials.keys(id);
        return new ShownKeys(keys.stream().map(SshKey::line).toList(), keys.stream().map(ShownKey::of).toList());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace root's SSH public keys on the server (queued operation)",
            description = "Each key is ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of 2,048 bits or more, as in id_ed25519.pub; "
                    + "at most 32, no key twice; 400 names the field (sshKeys[1]) and changes nothing. Saved at once and written by "
                    + "the operation into /root/.ssh/authorized_keys, whole (keys added there by hand are replaced): at once into a "
                    + "running server, at its next boot into a stopped one. The host refuses to write through a symbolic link the "
                    + "server's files have there (the operation fails saying so; the keys stay saved and wait for its next boot). "
                    + "Refused (403) to a suspended tenant's users.")
    public Response put(@PathParam("id") long id, @NotNull SshKeys keys,
                        @Parameter(description = "Repeat a request safely: the same key returns the first result")
                        @HeaderParam("Idempotency-Key") String key) {
        io.corral.panel.server.Operation op = credentials.change(id, keys.sshKeys(), key);
        return Response.accepted(OperationView.of(op)).location(URI.create("/api/v1/operations/" + op.id)).build();
    }
}
