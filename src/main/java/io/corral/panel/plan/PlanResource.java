package io.corral.panel.plan;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CurrentUser.ADMIN)
public class PlanResource {
    @Inject
    PlanService plans;

    @GET
    @Operation(summary = "List plans (admins)")
    public Page<PlanView> list(@BeanParam PageRequest page) {
        return plans.list(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One plan (admins)")
    public PlanView get(@PathParam("id") long id) {
        return plans.find(id).map(PlanView::of).orElseThrow(() -> DomainException.notFound(r -> r.plan_not_found(id)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Create a plan: quotas and prices (admins)")
    public Response create(@Valid @NotNull PlanRequest request) {
        Plan p = plans.create(request);
        return Response.created(URI.create("/api/v1/plans/" + p.id)).entity(PlanView.of(p)).build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("/{id}")
    @Operation(summary = "Change a plan (admins); servers already made keep running")
    public PlanView update(@PathParam("id") long id, @Valid @NotNull PlanRequest request) {
        return PlanView.of(plans.update(id, request));
    }
}
