package io.corral.panel.consolelog;

import io.corral.panel.common.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

@Path("/api/v1/servers/{id}/console-log")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ConsoleLogResource {
    @Inject
    ConsoleLogService logs;

    @GET
    @Operation(summary = "The server's console log: what its init and the services it starts write to their stdout and stderr",
            description = "Without after, the log's last lines; with after (the next of the previous answer), what came since, so a "
                    + "client follows the log by asking again. At most 64 KiB of the log per answer: ask again with next while "
                    + "next moves. Kept by the host across restarts of the server and of the host's agent (its last MiB or so), "
                    + "removed with the server. The text is the server's own bytes: see the schema.")
    public ConsoleLogView read(@PathParam("id") long id,
                               @Parameter(description = "An offset from a previous answer's next: what was written after it",
                                       schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
                               @QueryParam("after") String after) {
        return logs.read(id, after);
    }
}
