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
import java.util.List;

/** The host agent's /v1 API (see host-agent/README.md), as the panel calls it. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface AgentApi {
    @GET
    @Path("/host")
    HostFacts host(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/samples")
    List<SampleRound> samples(@HeaderParam("Authorization") String auth, @QueryParam("after") long after, @QueryParam("limit") int limit);

    @GET
    @Path("/servers")
    List<ServerState> servers(@HeaderParam("Authorization") String auth);

    @GET
    @Path("/servers/{id}")
    ServerState server(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @POST
    @Path("/servers")
    ServerState create(@HeaderParam("Authorization") String auth, AgentDtos.Create request);

    @POST
    @Path("/templates/{name}/build")
    String buildTemplate(@HeaderParam("Authorization") String auth, @PathParam("name") String name);

    @POST
    @Path("/servers/{id}/send")
    MoveSent send(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Send request);

    @POST
    @Path("/servers/{id}/reinstall")
    ServerState reinstall(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Reinstall request);

    @POST
    @Path("/servers/{id}/{action}")
    ServerState act(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("action") String action);

    @PUT
    @Path("/servers/{id}/limits")
    ServerState limits(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.AgentLimits limits);

    @GET
    @Path("/servers/{id}/firewall")
    FirewallSpec firewallOf(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/forwards")
    AgentDtos.Forwards forwardsOf(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @PUT
    @Path("/servers/{id}/firewall")
    FirewallSpec firewall(@HeaderParam("Authorization") String auth, @PathParam("id") String id, FirewallSpec firewall);

    @PUT
    @Path("/servers/{id}/forwards")
    AgentDtos.Forwards forwards(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Forwards forwards);

    @PUT
    @Path("/servers/{id}/ssh-keys")
    AgentDtos.SshKeys sshKeys(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.SshKeys keys);

    @POST
    @Path("/servers/{id}/exec")
    ExecOutput exec(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Exec request);

    @POST
    @Path("/servers/{id}/console")
    AgentDtos.ConsoleTicket console(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/isolation")
    IsolationReport isolation(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @GET
    @Path("/servers/{id}/console")
    ConsoleChunk console(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @QueryParam("after") Long after,
                         @QueryParam("limit") int limit);

    @POST
    @Path("/servers/{id}/snapshots")
    DiskSnapshot snapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Copy request);

    @POST
    @Path("/servers/{id}/snapshots/{sid}/restore")
    ServerState restoreSnapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("sid") String sid);

    @DELETE
    @Path("/servers/{id}/snapshots/{sid}")
    void deleteSnapshot(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("sid") String sid);

    @POST
    @Path("/servers/{id}/backups")
    DiskBackup backup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Copy request);

    @POST
    @Path("/servers/{id}/restore")
    ServerState restoreBackup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, AgentDtos.Restore request);

    @GET
    @Path("/servers/{id}/backup-storage")
    AgentDtos.BackupStorage backupStorage(@HeaderParam("Authorization") String auth, @PathParam("id") String id);

    @DELETE
    @Path("/servers/{id}/backups/{bid}")
    void deleteBackup(@HeaderParam("Authorization") String auth, @PathParam("id") String id, @PathParam("bid") String bid);

    @DELETE
    @Path("/servers/{id}")
    void destroy(@HeaderParam("Authorization") String auth, @PathParam("id") String id);
}
