package io.corral.panel.tenant;

import io.corral.panel.plan.Plan;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A hosting customer: its servers are managed by its users, within its plan. */
@Entity
public class Tenant extends PanacheEntityBase {
    public enum Status { active, suspended, deleted }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String slug;
    @ManyToOne(optional = false)
    public Plan plan;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;
    public OffsetDateTime createdAt;

    public static Optional<Tenant> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    /** The tenant, row-locked until the transaction ends: quota checks against it cannot interleave. */
    public static Optional<Tenant> lock(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
