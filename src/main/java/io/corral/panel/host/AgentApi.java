package io.corral.panel.host;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.corral.panel.limits.Limits;
import java.util.List;
import java.util.Map;

/** The host agent's /v1 API (see host-agent/README.md), as the panel calls it. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AgentApi {
    @GET
    @Path("/host")
    AgentDtos.HostFacts host(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/samples")
    List<AgentDtos.SampleRound> samples(@HeaderParam("Authorization") String auth, @QueryParam("after") long after,
                                        @QueryParam("limit") int limit);

    @GET
    @Path("/servers")
    List<AgentDtos.Server> servers(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/servers/{id}")
    AgentDtos.Server server(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @POST
    @Path("/servers")
    AgentDtos.Server create(@HeaderParam("Authorization") String auth, AgentDtos.Create request);

    @POST
    @Path("/servers/{id}/{action}")
    AgentDtos.Server act(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("action") String action);

    @PUT
    @Path("/servers/{id}/limits")
    AgentDtos.Server limits(@HeaderParam("Authorization") String auth, @PathParam("id") String id, Limits limits);

    @POST
    @Path("/servers/{id}/exec")
    AgentDtos.ExecResult exec(@HeaderParam("Authorization") String auth, @PathParam("id") String id, Map<String, Object> request);

    @GET
    @Path("/servers/{id}/isolation")
    AgentDtos.Isolation isolation(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @DELETE
    @Path("/servers/{id}")
    void destroy(@HeaderParam("Authorization") String auth, @PathParam("id") String id);
}
