package io.corral.panel.agent;

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
import jakarta.ws.rs.core.Response;

/**
 * The host agent's /v1 API (see host-agent/README.md), as the panel calls it. Every call answers a Response, which the
 * client streams rather than buffers, so that {@link AnswerCap} bounds what is read of it; {@link AgentClient} reads it.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface AgentApi {
    @GET
    @Path("/host")
    Response host(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/samples")
    Response samples(@HeaderParam("Authorization") String auth, @QueryParam("after") long after, @QueryParam("limit") int limit);

    @GET
    @Path("/servers")
    Response servers(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/servers/{id}")
    Response server(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @POST
    @Path("/servers")
    Response create(@HeaderParam("Authorization") String auth, AgentDtos.Create request);

    @POST
    @Path("/templates/{name}/build")
    Response buildTemplate(@HeaderParam("Authorization") String auth, @PathParam("name") String name);

    @POST
    @Path("/servers/{id}/send")
    Response send(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Send request);

    @POST
    @Path("/servers/{id}/reinstall")
    Response reinstall(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Reinstall request);

    @POST
    @Path("/servers/{id}/{action}")
    Response act(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("action") String action);

    @PUT
    @Path("/servers/{id}/limits")
    Response limits(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.AgentLimits limits);

    @GET
    @Path("/servers/{id}/firewall")
    Response firewallOf(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/forwards")
    Response forwardsOf(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @PUT
    @Path("/servers/{id}/firewall")
    Response firewall(@HeaderParam("Authorization") String auth, @PathParam("id") String id, FirewallSpec firewall);

    @PUT
    @Path("/servers/{id}/forwards")
    Response forwards(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Forwards forwards);

    @PUT
    @Path("/servers/{id}/ssh-keys")
    Response sshKeys(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.SshKeys keys);

    @POST
    @Path("/servers/{id}/exec")
    Response exec(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Exec request);

    @POST
    @Path("/servers/{id}/console")
    Response console(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/isolation")
    Response isolation(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/console")
    Response console(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @QueryParam("after") Long after,
                         @QueryParam("limit") int limit);

    @POST
    @Path("/servers/{id}/snapshots")
    Response snapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Copy request);

    @POST
    @Path("/servers/{id}/snapshots/{sid}/restore")
    Response restoreSnapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("sid") String sid);

    @DELETE
    @Path("/servers/{id}/snapshots/{sid}")
    Response deleteSnapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("sid") String sid);

    @POST
    @Path("/servers/{id}/backups")
    Response backup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Copy request);

    @POST
    @Path("/servers/{id}/restore")
    Response restoreBackup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Restore request);

    @GET
    @Path("/servers/{id}/backup-storage")
    Response backupStorage(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @DELETE
    @Path("/servers/{id}/backups/{bid}")
    Response deleteBackup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("bid") String bid);

    @DELETE
    @Path("/servers/{id}")
    Response destroy(@HeaderParam("Authorization") String auth, @PathParam("id") String id);
}
