package io.corral.panel.consolidation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A run of moves an admin started: a consolidation plan carried out, or one host drained. */
@Entity
@Table(name = "move_run")
public class MoveRun extends PanacheEntityBase {
    public enum Kind { consolidate, drain }

    public enum Status { running, finished, failed, cancelled }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String requestedBy;
    public OffsetDateTime createdAt;
    public OffsetDateTime finishedAt;
    public String error;
}
