package io.corral.panel.consolidation;

import java.time.OffsetDateTime;
import java.util.List;

/** A run of moves with each move's place, server, hosts, operation and how it went. */
public record MoveRunView(long id, MoveRun.Kind kind, MoveRun.Status status, String requestedBy, OffsetDateTime createdAt,
                          OffsetDateTime finishedAt, String error, int done, List<Step> moves) {
    public record Step(int position, long serverId, long fromHostId, long toHostId, Long operationId, MoveRunStep.Status status,
                       String error) {
    }

    static MoveRunView of(MoveRun run, List<MoveRunStep> steps) {
        return new MoveRunView(run.id, run.kind, run.status, run.requestedBy, run.createdAt, run.finishedAt, run.error,
                (int) steps.stream().filter(s -> s.status == MoveRunStep.Status.done).count(),
                steps.stream().map(s -> new Step(s.position, s.serverId, s.fromHostId, s.toHostId, s.operationId, s.status, s.error)).toList());
    }
}
