package io.corral.panel.server;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * An asynchronous job on one server: written in the transaction of the change it carries out (an outbox),
 * run by whichever panel instance's worker (operation/) claims it first.
 */
@Entity
public class Operation extends PanacheEntityBase {
    public enum Kind { create, start, stop, restart, reinstall, destroy, limits, firewall, forwards, sshKeys }

    public enum Status { queued, running, succeeded, failed }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(optional = false)
    public VirtualServer server;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String error;
    public String requestedBy;
    public String idempotencyKey;
    public String payload;
    public int attempts;
    public OffsetDateTime leaseUntil;
    public OffsetDateTime createdAt;
    public OffsetDateTime startedAt;
    public OffsetDateTime finishedAt;

    public static Optional<Operation> findByKey(String requestedBy, String key) {
        return find("requestedBy = ?1 and idempotencyKey = ?2", requestedBy, key).firstResultOptional();
    }
}
