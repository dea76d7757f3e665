package io.corral.panel.operation;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.QueryParams;
import io.corral.panel.server.OperationView;
import io.corral.panel.server.Operations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class OperationResource {
    @Inject
    Operations operations;

    @GET
    @Operation(summary = "Operations, newest first: customers their tenant's, admins all")
    public Page<OperationView> list(@BeanParam PageRequest page,
                                    @Parameter(description = "Only this server's operations",
                                            schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                                    @QueryParam("serverId") String serverIdText) {
        return operations.list(QueryParams.id("serverId", serverIdText), page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One operation: its status and, if it failed, why",
            description = "attempts: how many times a worker took it up (a panel that died mid-operation leaves it to another); "
                    + "busyAttempts: of those, the ones that found the server busy on its host, which do not count towards giving "
                    + "up (a change of limits waits so for another action of the server to end). requestedBy: who asked for it; "
                    + "\"heartbeat\" for a change of limits that sends the panel's limits again to a server its host was found "
                    + "holding to others.")
    public OperationView get(@PathParam("id") long id) {
        return operations.visible(id).map(OperationView::of).orElseThrow(() -> DomainException.notFound(r -> r.operation_not_found(id)));
    }
}
