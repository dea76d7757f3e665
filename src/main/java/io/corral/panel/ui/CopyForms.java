package io.corral.panel.ui;

import io.corral.panel.backup.BackupService;
import io.corral.panel.backup.ScheduleRequest;
import io.corral.panel.backup.ScheduleService;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.snapshot.SnapshotService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The snapshots and backups section of a server's page: each form queues through the same services as the API. Under
 * copies/: a class on the page's own path would take its GET from the page's.
 */
@Path("/servers/{id}/copies")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class CopyForms {
    @Inject
    SnapshotService snapshots;
    @Inject
    BackupService backups;
    @Inject
    ScheduleService schedules;
    @Inject
    Forms forms;
    @Inject
    Language language;

    @POST
    @Path("snapshots")
    public Response takeSnapshot(@PathParam("id") long id) {
        return run(id, "snapshot", () -> snapshots.take(id, null));
    }

    @POST
    @Path("snapshots/{snapshotId}/restore")
    public Response restoreSnapshot(@PathParam("id") long id, @PathParam("snapshotId") String snapshotId) {
        return run(id, "snapshot-restore", () -> snapshots.restore(id, snapshotId, null));
    }

    @POST
    @Path("snapshots/{snapshotId}/delete")
    public Response deleteSnapshot(@PathParam("id") long id, @PathParam("snapshotId") String snapshotId) {
        return run(id, "snapshot-delete", () -> snapshots.delete(id, snapshotId, null));
    }

    @POST
    @Path("backups")
    public Response takeBackup(@PathParam("id") long id) {
        return run(id, "backup", () -> backups.take(id, null));
    }

    @POST
    @Path("backups/{backupId}/restore")
    public Response restoreBackup(@PathParam("id") long id, @PathParam("backupId") String backupId) {
        return run(id, "backup-restore", () -> backups.restore(id, backupId, null));
    }

    @POST
    @Path("backups/{backupId}/delete")
    public Response deleteBackup(@PathParam("id") long id, @PathParam("backupId") String backupId) {
        return run(id, "backup-delete", () -> backups.delete(id, backupId, null));
    }

    @POST
    @Path("backup-schedule")
    public Response schedule(@PathParam("id") long id, @FormParam("frequency") String frequency, @FormParam("hour") Integer hour,
                             @FormParam("weekday") Integer weekday, @FormParam("retention") Integer retention) {
        ScheduleRequest request = new ScheduleRequest(frequency, hour, "daily".equals(frequency) ? null : weekday, retention);
        return run(id, "schedule", () -> schedules.set(id, forms.valid(request)));
    }

    @POST
    @Path("backup-schedule/remove")
    public Response removeSchedule(@PathParam("id") long id) {
        return run(id, "schedule-removed", () -> schedules.remove(id));
    }

    private Response run(long id, String notice, Runnable change) {
        String page = "/servers/" + id;
        try {
            change.run();
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND && e.getMessage().startsWith("server ")) {
                throw e;
            }
            return Redirects.withError(page, language.refusal(e));
        }
        return Redirects.to(page + "?notice=" + notice + "#copies");
    }
}
