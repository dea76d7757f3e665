package io.corral.panel.audit;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class AuditResource {
    @Inject
    Audit audit;

    @GET
    @Operation(summary = "The audit log, newest first (admins)")
    public Page<AuditView> list(@BeanParam PageRequest page) {
        return audit.list(page);
    }
}
