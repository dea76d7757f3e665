package io.corral.panel.billing;

import java.time.LocalDate;
import java.time.OffsetDateTime;

public record PeriodView(long id, LocalDate startsOn, LocalDate endsOn, OffsetDateTime closedAt) {
    static PeriodView of(BillingPeriod p) {
        return new PeriodView(p.id, p.startsOn, p.endsOn, p.closedAt);
    }
}
