package io.corral.panel.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Days [startsOn, endsOn) billed together; once closed, its lines are frozen. */
@Entity
public class BillingPeriod extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public LocalDate startsOn;
    public LocalDate endsOn;
    public OffsetDateTime closedAt;

    static Optional<BillingPeriod> closed(LocalDate startsOn, LocalDate endsOn) {
        return find("startsOn = ?1 and endsOn = ?2 and closedAt is not null", startsOn, endsOn).firstResultOptional();
    }
}
