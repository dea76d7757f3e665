package io.corral.panel.consolidation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One move of a run, in its place: queued as an operation when the one before has ended. */
@Entity
@Table(name = "move_run_step")
@IdClass(MoveRunStep.Key.class)
public class MoveRunStep extends PanacheEntityBase {
    public enum Status { pending, running, done, failed, cancelled }

    /** The step's key: its run and place. */
    public static class Key implements Serializable {
        public Long runId;
        public Integer position;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(runId, k.runId) && java.util.Objects.equals(position, k.position);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(runId, position);
        }
    }

    @Id
    public Long runId;
    @Id
    public Integer position;
    public long serverId;
    public long fromHostId;
    public long toHostId;
    public Long operationId;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String error;
}
