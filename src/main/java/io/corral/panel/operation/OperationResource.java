package io.corral.panel.operation;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.QueryParams;
import io.corral.panel.server.Operation;
import io.corral.panel.server.OperationView;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class OperationResource {
    @Inject
    CurrentUser user;

    @GET
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Operations, newest first: customers their tenant's, admins all")
    public Page<OperationView> list(@BeanParam PageRequest page,
                                    @Parameter(description = "Only this server's operations",
                                            schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                                    @QueryParam("serverId") String serverIdText) {
        Long serverId = QueryParams.id("serverId", serverIdText);
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (!user.isAdmin()) {
            where.append(" and server.tenant.slug = :slug");
            params = params.and("slug", user.tenantSlug().orElse(""));
        }
        if (serverId != null) {
            where.append(" and server.id = :server");
            params = params.and("server", serverId);
        }
        PanacheQuery<Operation> query = Operation.find(where.toString(), Sort.descending("id"), params);
        return Page.of(query, page, OperationView::of);
    }

    @GET
    @Path("/{id}")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "One operation: its status and, if it failed, why")
    public OperationView get(@PathParam("id") long id) {
        return Operation.<Operation>findByIdOptional(id)
                .filter(o -> user.isAdmin() || user.tenantSlug().filter(o.server.tenant.slug::equals).isPresent())
                .map(OperationView::of).orElseThrow(() -> DomainException.notFound("operation " + id));
    }
}
