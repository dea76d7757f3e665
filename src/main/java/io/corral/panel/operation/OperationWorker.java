package io.corral.panel.operation;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.ServerState;
import io.corral.panel.common.DomainException;
import io.corral.panel.server.Operation;
import io.corral.panel.server.OperationQueued;
import io.corral.panel.server.VirtualServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs queued operations against the hosts' agents: woken right after an operation commits, and
 * every second in case another panel instance queued it or a lease ran out. Every step is
 * idempotent against the agent's observed state (a refusal because the goal is reached already
 * counts as done), so an operation re-run after a crash does its work once.
 */
@ApplicationScoped
public class OperationWorker {
    private static final Logger LOG = Logger.getLogger(OperationWorker.class);
    static final int MAX_ATTEMPTS = 3;
    /** How long an attempt that found the server busy on its host leaves before the next. */
    static final Duration BUSY_AGAIN_AFTER = Duration.ofSeconds(5);
    /**
     * About two hours of them: more than the longest an agent holds one server (a disk's check and resize, 30 minutes
     * each, sys/Command in the agent), so that a change behind it is not given up on while the host may still take it.
     */
    static final int MAX_BUSY_ATTEMPTS = 1200;

    @Inject
    WorkerConfig config;
    @Inject
    OperationSteps steps;
    @Inject
    AgentClient agents;
    @Inject
    Copies copies;
    @Inject
    ServerMove moves;

    /** How many operations a panel runs at once, each on a thread of its own. */
    private static final int THREADS = 5;
    /**
     * The threads that run operations, woken when one is queued here and every second (one queued by another panel, a lease
     * run out, a busy server's next attempt). A wake-up while all of them run one waits, one at most: a thread that ends
     * its operation claims the next itself. So the schedule's thread never runs one, and is never held up by one.
     */
    private final ExecutorService workers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.DiscardPolicy());
    /** The operations this instance's workers run now, by id: their leases it extends, their tenants its share. */
    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor();

    void onStart(@Observes StartupEvent started) {
        long every = Math.max(200, config.lease().toMillis() / 3);
        leases.scheduleWithFixedDelay(this::extendLeases, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stopped) {
        leases.shutdownNow();
    }

    private void extendLeases() {
        try {
            steps.extend(List.copyOf(running.keySet()), config.lease());
        } catch (RuntimeException e) {
            LOG.warnf("could not extend the leases of running operations %s: %s", running.keySet(), e.getMessage());
        }
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) OperationQueued queued) {
        if (config.enabled()) {
            workers.execute(this::drain);
        }
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (config.enabled()) {
            workers.execute(this::drain);
        }
    }

    /** Runs operations until none is left to claim. */
    public void drain() {
        Optional<Job> claimed;
        while ((claimed = claim()).isPresent()) {
            try {
                run(claimed.get());
            } finally {
                running.remove(claimed.get().operationId());
            }
        }
    }

    /**
     * The next operation to run here; the last thread free takes only one of a tenant with none running here, so that one
     * tenant's operations held up in long calls (a stop waiting out its grace, a disk being made: up to 120 s each) never
     * hold every thread while another tenant's wait, and a tenant alone still has all but one. Claims take turns here, so
     * that two threads never both take the last.
     */
    private synchronized Optional<Job> claim() {
        Set<Long> passedOver = running.size() >= THREADS - 1
                ? running.values().stream().map(Job::tenantId).collect(Collectors.toSet()) : Set.of();
        Optional<Job> claimed = steps.claim(config.lease(), passedOver);
        claimed.ifPresent(job -> running.put(job.operationId(), job));
        return claimed;
    }

    private void run(Job job) {
        int unfinished = job.attempts() - 1 - job.busyAttempts(); // this one is the next
        if (unfinished >= MAX_ATTEMPTS || job.busyAttempts() >= MAX_BUSY_ATTEMPTS) {
            steps.fail(job.operationId(), "gave up after " + unfinished + " attempts that did not finish"
                    + (job.busyAttempts() > 0 ? " and " + job.busyAttempts() + " that found the server busy on its host" : "")
                    + "; ask for it again once the host answers");
            return;
        }
        runClaimed(job);
    }

    private void runClaimed(Job job) {
        long id = job.operationId();
        int attempt = job.attempts();
        try {
            VirtualServer.Observed observed = execute(job);
            steps.finish(id, attempt, o -> steps.succeed(id, observed));
        } catch (OutcomeUnknown e) {
            // not finished: the next attempt sends it again, soon if the host said it was busy, else when the lease has run out
            LOG.infof("operation %d (%s of server %s): %s", id, job.kind(), job.serverId(), e.getMessage());
            if (e.busy()) {
                steps.finish(id, attempt, o -> steps.busy(o, BUSY_AGAIN_AFTER));
            }
        } catch (AgentException e) {
            LOG.infof("operation %d (%s of server %s) failed: %s", id, job.kind(), job.serverId(), e.getMessage());
            if (job.kind() == Operation.Kind.create) {
                removeFromAgent(job);
            }
            Held held = held(job, e);
            steps.finish(id, attempt, o -> steps.fail(id, e.getMessage(), held));
        } catch (DomainException e) { // the panel's own reason to fail it after the agent's work, such as a snapshot over the plan
            LOG.infof("operation %d (%s of server %s) failed: %s", id, job.kind(), job.serverId(), e.getMessage());
            steps.finish(id, attempt, o -> steps.fail(id, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "operation %d failed", id);
            steps.finish(id, attempt, o -> steps.fail(id, "internal error: " + e.getMessage()));
        }
    }

    private VirtualServer.Observed execute(Job job) {
        String id = job.serverId();
        return switch (job.kind()) {
            case create -> {
                boolean start = job.desired() == VirtualServer.Desired.running;
                try {
                    yield state(agents.create(job.agent(), id, job.hostname(), job.template(), job.limits(), job.rates(), start, job.network(),
                            job.firewall(), job.forwards(), job.credentials()));
                } catch (AgentException e) {
                    // 409: an earlier attempt of this operation created it already (and perhaps started it)
                    if (e.status() != 409 || agents.server(job.agent(), id).isEmpty()) {
                        throw e;
                    }
                }
                yield start ? reach(job, "start", "running") : VirtualServer.Observed.stopped;
            }
            case start -> reach(job, "start", "running");
            case stop -> reach(job, "stop", "stopped");
            case restart -> {
                Optional<ServerState> now = agents.server(job.agent(), id);
                yield now.isPresent() && "running".equals(now.get().state()) ? state(act(job, "restart")) : reach(job, "start", "running");
            }
            case reinstall -> state(agents.reinstall(job.agent(), id, job.network(), job.firewall(), job.forwards(), job.credentials()));
            case limits -> state(changeLimits(job));
            case firewall -> {
                agents.firewall(job.agent(), id, job.firewall());
                yield agents.server(job.agent(), id).map(OperationWorker::state).orElse(VirtualServer.Observed.unknown);
            }
            case forwards -> {
                agents.forwards(job.agent(), id, job.forwards());
                yield agents.server(job.agent(), id).map(OperationWorker::state).orElse(VirtualServer.Observed.unknown);
            }
            case sshKeys -> {
                agents.sshKeys(job.agent(), id, job.credentials().sshKeys());
                yield agents.server(job.agent(), id).map(OperationWorker::state).orElse(VirtualServer.Observed.unknown);
            }
            case snapshot, snapshot_restore, snapshot_delete, backup, backup_restore, backup_delete -> copies.run(job);
            case move -> moves.run(job);
            case destroy -> {
                if (agents.server(job.agent(), id).isPresent()) {
                    agents.destroy(job.agent(), id);
                }
                yield VirtualServer.Observed.destroyed;
            }
        };
    }

    /**
     * Brings the server to a state with the given action. The agent refuses an action whose state is
     * reached already (409): then its state is asked for, and the goal counts as reached if it is.
     */
    private VirtualServer.Observed reach(Job job, String action, String goal) {
        try {
            return state(act(job, action));
        } catch (AgentException e) {
            Optional<ServerState> now = e.status() == 409 ? agents.server(job.agent(), job.serverId()) : Optional.empty();
            if (now.isPresent() && goal.equals(now.get().state())) {
                return state(now.get());
            }
            throw e;
        }
    }

    /**
     * Sends the change of limits. Where its outcome is not known (no answer, the agent failing, or busy with another action
     * of the server, which may be this change sent before, whose answer was lost), the operation is left to its next
     * attempt, which sends it again; the agent answers the operation sent again as it went and refuses it once a later one
     * has come, so it is taken at most once, and once answered no copy of it held up on the way changes the server later.
     * Settled only by what the agent's change of limits answers itself: a 2xx, a 412 (as it went), a 400 or 422 (the
     * change refused), a 404 (no such server); another 4xx (its secret refused, say) may follow an attempt that was taken.
     */
    private ServerState changeLimits(Job job) {
        try {
            return agents.limits(job.agent(), job.serverId(), job.limits(), job.rates(), job.operationId());
        } catch (AgentException e) {
            int status = e.status();
            if (status == 400 || status == 404 || status == 412 || status == 422) {
                throw e;
            }
            boolean busy = status == 409 || status == 429;
            throw new OutcomeUnknown(busy, "host " + job.agent().host() + (busy ? " is busy with the server; sent again in "
                    + BUSY_AGAIN_AFTER.toSeconds() + " s: " : " did not say whether it took the change; sent again by the next attempt: ")
                    + e.getMessage());
        }
    }

    /**
     * What the agent holds after a failed change of the server's firewall or forwards: it may have taken the
     * change and its answer been lost, so the panel asks rather than assumes. The agent answers only when no
     * change of the server runs (409 meanwhile: a change whose answer was lost may still be under way), so the
     * panel asks again until half its lease has passed.
     */
    private Held held(Job job, AgentException failure) {
        if (failure.status() >= 400 && failure.status() < 500) { // refused: the agent kept what it had, which the panel put back
            return Held.UNKNOWN;
        }
        long deadline = System.nanoTime() + config.lease().toNanos() / 2;
        for (long pause = 50; ; pause = Math.min(2 * pause, 1000)) {
            try {
                return switch (job.kind()) {
                    case firewall -> new Held(agents.firewallOf(job.agent(), job.serverId()), null);
                    case forwards -> new Held(null, agents.forwardsOf(job.agent(), job.serverId()));
                    default -> Held.UNKNOWN;
                };
            } catch (AgentException e) {
                if (e.status() != 409 || System.nanoTime() + pause * 1_000_000 > deadline) {
                    LOG.infof("operation %d: host %s could not say what server %s holds now: %s", job.operationId(),
                            job.agent().host(), job.serverId(), e.getMessage());
                    return Held.UNKNOWN;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Held.UNKNOWN;
            }
        }
    }

    /**
     * A failed create releases the server's quota, so what the agent made of it (a boot that failed
     * leaves it created and stopped) goes too: a customer's failed orders never pile up disks on a host.
     */
    private void removeFromAgent(Job job) {
        try {
            if (agents.server(job.agent(), job.serverId()).isPresent()) {
                agents.destroy(job.agent(), job.serverId());
            }
        } catch (AgentException e) {
            LOG.warnf("server %s of failed operation %d stays on host %s: %s", job.serverId(), job.operationId(),
                    job.agent().host(), e.getMessage());
        }
    }

    private ServerState act(Job job, String action) {
        return agents.act(job.agent(), job.serverId(), action);
    }

    private static VirtualServer.Observed state(ServerState s) {
        return VirtualServer.Observed.reported(s.state());
    }
}
