package io.corral.panel.consolidation;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.host.Host;
import io.corral.panel.server.MoveEnded;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Placement;
import io.corral.panel.server.ServerMoves;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Runs of moves: a consolidation plan carried out, or a host drained. The hosts a run empties are marked draining
 * when it starts, so nothing new is placed on them. Its moves go one at a time, in the plan's order: each is queued
 * as an operation when the one before has ended, so a cancel stops after the move in flight, and a move that fails
 * stops the run (what it moved stays moved). A panel that died between two moves has its run picked up by the sweep.
 */
@ApplicationScoped
public class MoveRuns {
    @Inject
    ServerMoves moves;
    @Inject
    Audit audit;
    @Inject
    ConsolidationPlans plans;

    /** Carries out the consolidation plan made now from the fleet as it is. */
    @Transactional
    public MoveRun runPlan(Window window, Double headroom, String requestedBy) {
        ConsolidationPlan plan = plans.plan(window, headroom);
        return start(MoveRun.Kind.consolidate, moves(plan), plan.perHost().stream().filter(ConsolidationPlan.HostLoad::emptied)
                .map(ConsolidationPlan.HostLoad::hostId).toList(), requestedBy);
    }

    /** Moves every server of the host away; a host that cannot be emptied whole is refused, and nothing moves. */
    @Transactional
    public MoveRun drain(long hostId, String requestedBy) {
        ConsolidationPlan plan = plans.drain(hostId);
        if (plan.moves().isEmpty()) {
            ConsolidationPlan.HostLoad h = plan.perHost().stream().filter(l -> l.hostId() == hostId).findFirst().orElseThrow();
            throw DomainException.conflict(r -> h.serversBefore() == 0 ? r.consolidation_drain_empty(h.name())
                    : r.consolidation_drain_no_room(h.name()));
        }
        return start(MoveRun.Kind.drain, moves(plan), List.of(hostId), requestedBy);
    }

    private static List<MovePlanner.Move> moves(ConsolidationPlan plan) {
        return plan.moves().stream().map(m -> new MovePlanner.Move(m.serverId(), m.fromHostId(), m.toHostId())).toList();
    }

    /** Starts a run of these moves, emptying these hosts; one run at a time. */
    private MoveRun start(MoveRun.Kind kind, List<MovePlanner.Move> planned, List<Long> emptied, String requestedBy) {
        if (planned.isEmpty()) {
            throw DomainException.conflict(Refusals::consolidation_nothing_to_run);
        }
        // two admins starting runs at once queue here: a row lock takes only rows that exist already
        MoveRun.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('move_run'))").getSingleResult();
        Optional<MoveRun> running = MoveRun.<MoveRun>find("status", MoveRun.Status.running).firstResultOptional();
        if (running.isPresent()) {
            throw DomainException.conflict(r -> r.consolidation_run_busy(running.get().id));
        }
        Placement.takeTurn(); // several hosts locked below: in turn with placements, which lock theirs in another order
        for (long id : emptied) {
            Host h = Host.findById(id);
            if (h.status == Host.Status.up) {
                h.status = Host.Status.draining;
            }
        }
        MoveRun run = new MoveRun();
        run.kind = kind;
        run.status = MoveRun.Status.running;
        run.requestedBy = requestedBy;
        run.createdAt = OffsetDateTime.now();
        run.persist();
        for (int i = 0; i < planned.size(); i++) {
            MovePlanner.Move m = planned.get(i);
            MoveRunStep step = new MoveRunStep();
            step.runId = run.id;
            step.position = i;
            step.serverId = m.server();
            step.fromHostId = m.from();
            step.toHostId = m.to();
            step.status = MoveRunStep.Status.pending;
            step.persist();
        }
        audit.recordAs(requestedBy, "moves." + kind, "move-run/" + run.id, planned.size() + " moves, emptying hosts " + emptied);
        advance(run);
        return run;
    }

    /** Stops the run after the move in flight; the moves not yet queued are cancelled. */
    @Transactional
    public MoveRun cancel(long id, String requestedBy) {
        MoveRun run = MoveRun.<MoveRun>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound(r -> r.consolidation_run_not_found(id)));
        if (run.status != MoveRun.Status.running) {
            throw DomainException.conflict(r -> r.consolidation_run_ended(id, run.status.toString()));
        }
        run.status = MoveRun.Status.cancelled;
        cancelPending(run);
        if (MoveRunStep.count("runId = ?1 and status = ?2", run.id, MoveRunStep.Status.running) == 0) {
            run.finishedAt = OffsetDateTime.now();
        }
        audit.recordAs(requestedBy, "moves.cancel", "move-run/" + run.id, null);
        return run;
    }

    /** A run's move ended: its step records how, in the same transaction; a failure stops the run. */
    void onMoveEnded(@Observes(during = TransactionPhase.IN_PROGRESS) MoveEnded ended) {
        MoveRunStep.<MoveRunStep>find("operationId", ended.operationId()).firstResultOptional() // none: a move asked for on its own
                .ifPresent(step -> ended(step, MoveRun.findById(step.runId, LockModeType.PESSIMISTIC_WRITE), ended.succeeded(), ended.error()));
    }

    private static void ended(MoveRunStep step, MoveRun run, boolean succeeded, String error) {
        step.status = succeeded ? MoveRunStep.Status.done : MoveRunStep.Status.failed;
        step.error = error;
        if (!succeeded && run.status == MoveRun.Status.running) {
            run.status = MoveRun.Status.failed;
            run.error = "the move of server " + step.serverId + " failed: " + error;
            cancelPending(run);
        }
        if (run.status != MoveRun.Status.running) {
            run.finishedAt = OffsetDateTime.now();
        }
    }

    /** Once a move's end is committed, the run's next move is queued. */
    void afterMoveEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) MoveEnded ended) {
        sweep();
    }

    /** Runs whose move in flight has ended go on: also those a panel that died left between two moves. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        List<Long> running = QuarkusTransaction.requiringNew().call(() -> MoveRun.<MoveRun>find("status", MoveRun.Status.running).list()
                .stream().map(r -> r.id).toList());
        for (long id : running) {
            QuarkusTransaction.requiringNew().run(() -> {
                MoveRun run = MoveRun.findById(id, LockModeType.PESSIMISTIC_WRITE);
                if (run.status == MoveRun.Status.running) {
                    advance(run);
                }
            });
        }
    }

    /**
     * Queues the run's next move unless one is in flight; with none left, the run is finished. A move refused when its
     * turn comes (its server destroyed meanwhile, or no room left on the host it was planned for) fails the run.
     */
    private void advance(MoveRun run) {
        Optional<MoveRunStep> inFlight = MoveRunStep.<MoveRunStep>find("runId = ?1 and status = ?2", run.id, MoveRunStep.Status.running)
                .firstResultOptional();
        if (inFlight.isPresent()) {
            // its operation may have ended before the step recording it was committed, unseen by onMoveEnded
            Operation o = Operation.findById(inFlight.get().operationId);
            if (o.status == Operation.Status.queued || o.status == Operation.Status.running) {
                return;
            }
            ended(inFlight.get(), run, o.status == Operation.Status.succeeded, o.error);
            if (run.status != MoveRun.Status.running) {
                return;
            }
        }
        Optional<MoveRunStep> next = MoveRunStep.<MoveRunStep>find("runId = ?1 and status = ?2", Sort.by("position"), run.id,
                MoveRunStep.Status.pending).firstResultOptional();
        if (next.isEmpty()) {
            run.status = MoveRun.Status.finished;
            run.finishedAt = OffsetDateTime.now();
            return;
        }
        MoveRunStep step = next.get();
        String key = "move-run-" + run.id + "-" + step.position;
        try {
            // its own transaction: a refusal rolls back the move's checks and reservation, not this run's record of it
            step.operationId = QuarkusTransaction.requiringNew().call(() -> moves.moveFor(run.requestedBy, step.serverId, step.toHostId, key).id);
            step.status = MoveRunStep.Status.running;
        } catch (DomainException e) {
            step.status = MoveRunStep.Status.failed;
            step.error = e.getMessage();
            run.status = MoveRun.Status.failed;
            run.error = "the move of server " + step.serverId + " was refused: " + e.getMessage();
            run.finishedAt = OffsetDateTime.now();
            cancelPending(run);
        }
    }

    private static void cancelPending(MoveRun run) {
        MoveRunStep.update("status = ?1 where runId = ?2 and status = ?3", MoveRunStep.Status.cancelled, run.id, MoveRunStep.Status.pending);
    }

    /** The run with its moves, for the API and the page. */
    @Transactional
    public MoveRunView view(long id) {
        MoveRun run = MoveRun.<MoveRun>findByIdOptional(id).orElseThrow(() -> DomainException.notFound(r -> r.consolidation_run_not_found(id)));
        return MoveRunView.of(run, MoveRunStep.<MoveRunStep>find("runId", Sort.by("position"), id).list());
    }

    /** The latest run, if any. */
    @Transactional
    public Optional<MoveRunView> latest() {
        return MoveRun.<MoveRun>findAll(Sort.descending("id")).firstResultOptional().map(r -> view(r.id));
    }
}
