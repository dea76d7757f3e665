package io.corral.panel.backup;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A server's backup schedule as a customer sets it. */
public record ScheduleRequest(
        @Schema(description = "daily or weekly") @NotNull @Pattern(regexp = "daily|weekly", message = "{corral.schedule.frequency}") String frequency,
        @Schema(description = "The hour (UTC) it runs at, 0 to 23") @NotNull @Min(0) @Max(23) Integer hour,
        @Schema(description = "For a weekly one, the day: 1 Monday to 7 Sunday; left out for a daily one") @Min(1) @Max(7) Integer weekday,
        @Schema(description = "How many of its backups are kept, the oldest deleted past it: 1 to the plan's backups per server")
        @NotNull @Min(1) @Max(100) Integer retention) {
}
