package io.corral.panel.operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.corral.panel.agent.CredentialsSpec;
import io.corral.panel.agent.FirewallSpec;
import io.corral.panel.agent.ForwardSpec;
import io.corral.panel.agent.NetworkSpec;
import io.corral.panel.common.SqlValues;
import io.corral.panel.common.JsonText;
import io.corral.panel.credential.Credentials;
import io.corral.panel.firewall.Firewall;
import io.corral.panel.firewall.Firewalls;
import io.corral.panel.forward.PortForward;
import io.corral.panel.host.Host;
import io.corral.panel.forward.PortForwards;
import io.corral.panel.forward.Forwards;
import io.corral.panel.limits.Limits;
import io.corral.panel.network.Addresses;
import io.corral.panel.network.ServerNetwork;
import io.corral.panel.server.LimitsRequest;
import io.corral.panel.server.MoveEnded;
import io.corral.panel.server.Operation;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.snapshot.SnapshotSteps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's database steps, each its own short transaction, so no transaction stays open while
 * an agent works: the claim reads what the job needs in the same transaction, and the result is
 * the second and last.
 */
@ApplicationScoped
@Transactional
public class OperationSteps {
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @Inject
    JsonText text;
    @Inject
    Addresses addresses;
    @Inject
    Firewalls firewalls;
    @Inject
    Forwards forwards;
    @Inject
    Credentials credentials;
    @Inject
    Copies copies;
    @Inject
    SnapshotSteps snapshots;
    @Inject
    jakarta.enterprise.event.Event<MoveEnded> moveEnded;
    @Inject
    io.corral.panel.host.StrayCopies strays;

    /**
     * Claims the oldest runnable operation of a tenant not among passedOver: queued, or running with an expired lease (its
     * panel died, or its last attempt found its server busy on its host and left it for the next).
     * SKIP LOCKED lets several panel instances claim side by side without ever taking the same row,
     * and a server's operations run one at a time, in order. The tenant is read by a subquery, not a join, which the
     * claim's lock would take to the server's row, which changes of the server hold for their whole transactions.
     */
    public Optional<Job> claim(Duration lease, Set<Long> passedOver) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                update operation set status = 'running', attempts = attempts + 1,
                       started_at = coalesce(started_at, now()), lease_until = now() + make_interval(secs => :lease)
                where id = (
                    select o.id from operation o
                    where (o.status = 'queued' or (o.status = 'running' and o.lease_until < now()))
                      and not exists (select 1 from operation p where p.server_id = o.server_id and p.id < o.id
                                      and p.status in ('queued', 'running'))
                      and (select v.tenant_id from virtual_server v where v.id = o.server_id) <> all(cast(:passedOver as bigint[]))
                    order by o.id
                    for update skip locked
                    limit 1)
                returning id""").setParameter("lease", lease.toSeconds())
                .setParameter("passedOver", SqlValues.bigintArray(passedOver)).getResultList();
        return ids.stream().findFirst().map(id -> load(id.longValue()));
    }

    private Job load(long id) {
        Operation o = Operation.findById(id);
        VirtualServer v = o.server;
        Limits limits = limitsFor(o);
        boolean sendsNetwork = o.kind == Operation.Kind.create || o.kind == Operation.Kind.reinstall || o.kind == Operation.Kind.move;
        // a move names both hosts: a re-run after its server's row changed hosts still sends from where it was
        Host from = o.kind == Operation.Kind.move ? Host.findById(Long.parseLong(o.payloadText("fromHost"))) : v.host;
        Host to = o.kind == Operation.Kind.move ? Host.findById(Long.parseLong(o.payloadText("toHost"))) : null;
        // the receiving end of a move is told the uplink of the host it is on
        long networkHost = to == null ? v.host.id : to.id;
        NetworkSpec network = sendsNetwork ? addresses.of(v.id)
                .map(n -> spec(n, v.tenant.slug, addresses.uplink(v.id, networkHost).orElse(null))).orElse(null) : null;
        boolean sendsFirewall = sendsNetwork || o.kind == Operation.Kind.firewall;
        FirewallSpec firewall = sendsFirewall ? firewalls.of(v.id).map(OperationSteps::spec).orElse(null) : null;
        List<ForwardSpec> forwarded = sendsNetwork || o.kind == Operation.Kind.forwards ? forwards.of(v.id).stream()
                .map(f -> new ForwardSpec(f.protocol(), f.hostPort(), f.serverPort())).toList() : null;
        // with a create or a reinstall, none is left out: an agent from before forwards refuses the field
        String copy = Copies.idOf(o);
        return new Job(o.id, o.kind, o.attempts, o.busyAttempts, v.tenant.id, v.agentId(), from.agent(), v.hostname, v.template, limits, v.tenant.plan.rates(),
                v.desiredState, network, firewall, sendsNetwork && forwarded.isEmpty() ? null : forwarded, credentialsFor(o.kind, v.id),
                copy, o.payloadText("sourceServer"), to == null ? null : to.agent(), to == null ? null : to.id);
    }

    /** What a create or a reinstall writes into the fresh root (null: nothing, left out for an agent from before them); a change of keys, the keys. */
    private CredentialsSpec credentialsFor(Operation.Kind kind, long serverId) {
        if (kind == Operation.Kind.sshKeys) {
            return new CredentialsSpec(credentials.keys(serverId), null);
        }
        if (kind != Operation.Kind.create && kind != Operation.Kind.reinstall && kind != Operation.Kind.move) {
            return null;
        }
        List<String> keys = credentials.keys(serverId);
        String hash = credentials.passwordHash(serverId).orElse(null);
        return keys.isEmpty() && hash == null ? null : new CredentialsSpec(keys, hash);
    }

    private static FirewallSpec spec(Firewall f) {
        return new FirewallSpec(f.defaultInbound(), f.rules().stream()
                .map(r -> new FirewallSpec.Rule(r.action(), r.protocol(), r.ports(), r.source())).toList());
    }

    private static Firewall firewall(FirewallSpec f) {
        return new Firewall(f.defaultInbound(), f.rules() == null ? List.of() : f.rules().stream()
                .map(r -> new Firewall.Rule(r.action(), r.protocol(), r.ports(), r.source())).toList());
    }

    private static NetworkSpec spec(ServerNetwork n, String tenant, String uplink) {
        return new NetworkSpec(n.name(), n.kind().word(), tenant, n.ipv4(), n.gateway4(), n.ipv6(), n.gateway6(), n.resolvers(), uplink);
    }

    /**
     * The leases of the operations this panel is running extended, so that no other instance takes over an operation
     * whose work goes on (a move or a backup outlasts a lease); a panel that dies stops extending them.
     */
    public void extend(java.util.Collection<Long> ids, Duration lease) {
        if (!ids.isEmpty()) {
            em.createNativeQuery("update operation set lease_until = now() + make_interval(secs => :lease) where id in (:ids) and status = 'running'")
                    .setParameter("lease", lease.toSeconds()).setParameter("ids", ids).executeUpdate();
        }
    }

    /**
     * The attempt's outcome, unless another attempt has taken the operation over since (this one's lease ran out
     * while its panel could not extend it): then the later attempt's outcome counts, and this one's is dropped.
     */
    public boolean finish(long id, int attempt, java.util.function.Consumer<Operation> outcome) {
        Operation o = em.find(Operation.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (o.attempts != attempt || o.status != Operation.Status.running) {
            org.jboss.logging.Logger.getLogger(OperationSteps.class).infof("operation %d: attempt %d's outcome dropped; attempt %d has it now",
                    id, attempt, o.attempts);
            return false;
        }
        outcome.accept(o);
        return true;
    }

    /**
     * The attempt found the server busy on its host: the operation is claimed again after that long, and the attempt
     * does not count towards giving up.
     */
    public void busy(Operation o, Duration after) {
        // the database's clock, which claims compare leases with: the panel's may be behind it
        em.createNativeQuery("update operation set busy_attempts = busy_attempts + 1, lease_until = now() + make_interval(secs => :after)"
                + " where id = :id").setParameter("after", after.toSeconds()).setParameter("id", o.id).executeUpdate();
    }

    public void succeed(long id, VirtualServer.Observed observed) {
        Operation o = Operation.findById(id);
        lockServer(o);
        o.status = Operation.Status.succeeded;
        o.error = null;
        o.finishedAt = OffsetDateTime.now();
        o.leaseUntil = null;
        o.server.observe(observed);
        if (o.changesLimits()) {
            limitsTaken(o, text.read(o.payload, "requested", Limits.class));
        }
        if (o.kind == Operation.Kind.move) {
            moveEnded.fire(new MoveEnded(o.server.id, o.id, true, null));
        }
        if (o.kind == Operation.Kind.destroy) {
            // the agent has let go of them: another server may have them now
            addresses.release(o.server.id);
            forwards.release(o.server.id);
            snapshots.serverDestroyed(o.server.id);
        }
    }

    /**
     * A move's server now on the receiving host, its copy there committed: the sending host's room is released. The
     * sending host still holds a stopped copy until the worker removes it.
     */
    public void moved(long id, long toHost, VirtualServer.Observed observed) {
        Operation o = Operation.findById(id);
        VirtualServer v = o.server;
        v.host = Host.findById(toHost);
        v.movingTo = null;
        strays.removed(v.id, toHost); // a copy left there before is the server's own again
        v.observe(observed);
        v.updatedAt = OffsetDateTime.now();
    }

    /**
     * An evacuation's create or restore failed: the server goes back to the host it was evacuated from (still holding its
     * addresses, and its forwards' ports there through the stray record), as it was before, to be evacuated again; what
     * the attempt made on the target is a stray there, and the evacuation's restore still queued fails with it.
     */
    private void evacuationFailed(Operation o, String error) {
        VirtualServer v = o.server;
        long from = Long.parseLong(o.payloadText("evacuatedFrom"));
        long target = v.host.id;
        strays.record(v.id, target, "left by a failed evacuation from host " + from + ": " + error, null);
        strays.removed(v.id, from);
        v.host = Host.findById(from);
        v.observe(VirtualServer.Observed.unknown);
        v.updatedAt = OffsetDateTime.now();
        em.createNativeQuery("""
                update operation set status = 'failed', finished_at = now(), lease_until = null,
                       error = 'the evacuation failed before it: ' || ?2
                where server_id = ?1 and status = 'queued' and kind = 'backup_restore' and payload::jsonb ->> 'evacuatedFrom' is not null""")
                .setParameter(1, v.id).setParameter(2, error).executeUpdate();
    }

    /** A move's stopped copy on the host it left, which that host could not remove now: removed when it answers again. */
    public void leftBehind(long id, String reason) {
        Operation o = Operation.findById(id);
        strays.record(o.server.id, Long.parseLong(o.payloadText("fromHost")), reason, null);
    }

    /** What a move measured, kept with its operation (its result). */
    public void moveResult(long id, Map<String, Object> result) {
        Operation o = Operation.findById(id);
        ObjectNode payload = (ObjectNode) readPayload(o);
        payload.set("result", json.valueToTree(result));
        o.payload = payload.toString();
    }

    /** Marks the operation failed with the agent's message and releases what it had reserved (see {@link #fail(long, String, Held)}). */
    public void fail(long id, String error) {
        fail(id, error, Held.UNKNOWN);
    }

    /**
     * Marks the operation failed with the agent's message and releases what it had reserved. A failed change of
     * the server's firewall or forwards leaves the panel's saved one what the agent holds, as it said when asked
     * after the failure (held), or where it could not say, what the change replaced, which the agent keeps when
     * it refuses one; unless a later change of the same kind is queued, which sends what was saved last. A failed
     * change of limits leaves the server the ones before: the agent refused it (and refuses any copy of it later), or
     * the panel gave up on a host that did not answer, or was busy with the server for about two hours.
     */
    public void fail(long id, String error, Held held) {
        Operation o = Operation.findById(id);
        lockServer(o);
        o.status = Operation.Status.failed;
        o.error = error;
        o.finishedAt = OffsetDateTime.now();
        o.leaseUntil = null;
        VirtualServer v = o.server;
        switch (o.kind) {
            case create -> {
                if (o.payloadText("evacuatedFrom") != null) {
                    evacuationFailed(o, error);
                } else {
                    v.desiredState = VirtualServer.Desired.destroyed;
                    v.observe(VirtualServer.Observed.failed);
                    addresses.release(v.id);
                    forwards.release(v.id);
                }
            }
            case backup_restore -> {
                if (o.payloadText("evacuatedFrom") != null) {
                    evacuationFailed(o, error);
                }
            }
            // refused (no copy of it is taken later), or given up on (the host not answering, or busy for hours)
            case limits -> {
                if (o.changesLimits()) {
                    limitsTaken(o, previous(o, Limits.class));
                }
            }
            // unless a later change of the same kind is queued: that one sends what was saved last, which this would overwrite
            case firewall -> {
                if (!laterOfItsKind(o)) {
                    firewalls.replace(v.id, held.firewall() != null ? firewall(held.firewall()) : previous(o, Firewall.class));
                }
            }
            // the keys stay as saved: the agent keeps them too, and writes them at the server's next boot
            case sshKeys -> {
            }
            case forwards -> {
                if (!laterOfItsKind(o)) {
                    forwards.restore(v.id, v.host.id, held.forwards() != null ? held.forwards().stream()
                            .map(f -> new PortForward(f.protocol(), f.hostPort(), f.serverPort())).toList()
                            : previous(o, PortForwards.class).forwards());
                }
            }
            case snapshot, snapshot_delete, backup, backup_delete -> copies.failed(o, error);
            case move -> {
                if (v.movingTo != null) { // not moved: the receiving host's room is free again, the server where it was
                    v.movingTo = null;
                    v.observe(VirtualServer.Observed.unknown);
                }
                moveEnded.fire(new MoveEnded(v.id, o.id, false, error));
            }
            default -> v.observe(VirtualServer.Observed.unknown);
        }
    }

    /**
     * The server's row read again under its lock before an outcome changes it: a change of its limits committed meanwhile
     * (its row set to what it holds, a later change queued) is what the outcome builds on, not overwritten by a copy read
     * before it.
     */
    private void lockServer(Operation o) {
        em.refresh(o.server, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The limits the job sends: what a change of limits requests; for a create, a move, a plan's rates or a repair, what
     * the agent is to have until the next change of limits queued after it (its previous), else the server's own (other
     * jobs send none). The server's own are the larger ones it holds while a change is queued: a server made then with
     * those, and that change failing, would keep more than the panel counts. A repair of a running server keeps the disk
     * its agent has (heartbeat/LimitsRepair).
     */
    private Limits limitsFor(Operation o) {
        if (o.changesLimits()) {
            return text.read(o.payload, "requested", Limits.class);
        }
        if (o.kind != Operation.Kind.create && o.kind != Operation.Kind.move && o.kind != Operation.Kind.limits) {
            return o.server.limits();
        }
        Limits limits = nextChangeOfLimits(o).map(next -> text.read(next.payload, "previous", Limits.class)).orElse(o.server.limits());
        String keptDisk = o.payloadText("keepDiskMiB");
        return keptDisk == null ? limits : limits.withDiskMiB(Long.parseLong(keptDisk));
    }

    private static Optional<Operation> nextChangeOfLimits(Operation o) {
        return Operation.<Operation>find("server = ?1 and kind = ?2 and id > ?3 order by id", o.server, Operation.Kind.limits, o.id)
                .stream().filter(Operation::changesLimits).findFirst();
    }

    /**
     * The limits the agent has once a change of them has ended (what it asked for, or what it replaced): the server's own,
     * which were the larger of both meanwhile; or, with a later change queued, which holds the larger ones until it ends,
     * what that one puts back if it fails and what it asks for again, on these.
     */
    private void limitsTaken(Operation o, Limits taken) {
        Optional<Operation> later = nextChangeOfLimits(o);
        if (later.isEmpty()) {
            o.server.setLimits(taken);
            o.server.updatedAt = OffsetDateTime.now();
            return;
        }
        ObjectNode payload = (ObjectNode) readPayload(later.get());
        payload.set("previous", json.valueToTree(taken));
        if (payload.hasNonNull("asked")) { // changes queued before this release kept only what they requested
            try {
                payload.set("requested", json.valueToTree(json.treeToValue(payload.get("asked"), LimitsRequest.class).on(taken)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("operation " + later.get().id + " asks for limits that are not a limits request", e);
            }
        }
        later.get().payload = payload.toString();
    }

    private static boolean laterOfItsKind(Operation o) {
        return Operation.count("server = ?1 and kind = ?2 and id > ?3", o.server, o.kind, o.id) > 0;
    }

    /** What a change replaced (limits, a firewall, forwards), kept in its operation's payload. */
    private <T> T previous(Operation o, Class<T> type) {
        return text.read(o.payload, "previous", type);
    }

    private JsonNode readPayload(Operation o) {
        try {
            return json.readTree(o.payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
