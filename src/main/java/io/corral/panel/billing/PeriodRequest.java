package io.corral.panel.billing;

import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;

public record PeriodRequest(@NotNull LocalDate startsOn, @NotNull LocalDate endsOn) {
}
