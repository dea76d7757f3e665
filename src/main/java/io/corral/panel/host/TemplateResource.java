package io.corral.panel.host;

import io.corral.panel.common.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class TemplateResource {
    @Inject
    HostService hosts;

    @GET
    @Operation(summary = "The templates servers can be ordered from: those installed on a host that takes new servers (up, "
            + "not draining), in name order. A host's own are in its `templates`; an order for another is refused naming `template`")
    public List<String> list() {
        return hosts.offeredTemplates();
    }
}
