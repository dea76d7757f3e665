package io.corral.panel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper PAYLOAD = new ObjectMapper();
    public enum Kind {
        create, start, stop, restart, reinstall, destroy, limits, firewall, forwards, sshKeys,
        snapshot, snapshot_restore, snapshot_delete, backup, backup_restore, backup_delete, move
    }

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
    /** Of the attempts, those that found the server busy on its host (they do not count towards giving up). */
    public int busyAttempts;
    public OffsetDateTime leaseUntil;
    public OffsetDateTime createdAt;
    public OffsetDateTime startedAt;
    public OffsetDateTime finishedAt;

    /** Whether this is a change of the server's limits; a plan's new rates are sent with the limits as they are (no change). */
    public boolean changesLimits() {
        return kind == Kind.limits && payloadText("requested") != null;
    }

    /** A text field of the payload, such as the id of the snapshot or backup the operation is about; null without one. */
    public String payloadText(String field) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode value = PAYLOAD.readTree(payload).get(field);
            return value == null || value.isNull() ? null : value.asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("operation " + id + " has a payload that is not JSON", e);
        }
    }

    public static Optional<Operation> findByKey(String requestedBy, String key) {
        return find("requestedBy = ?1 and idempotencyKey = ?2", requestedBy, key).firstResultOptional();
    }
}
