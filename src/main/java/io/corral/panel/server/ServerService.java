package io.corral.panel.server;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.Rows;
import io.corral.panel.agent.AgentClient;
import io.corral.panel.host.Host;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.corral.panel.network.Addresses;
import io.corral.panel.network.Kind;
import io.corral.panel.network.ServerNetwork;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Customers' and admins' requests on servers. Each change checks the tenant's plan with the tenant
 * row locked, reserves by writing the server row (and, for an order, its addresses), and queues the
 * work as an operation, all in one transaction: it happens whole or not at all. Reads join a caller's
 * transaction and need none of their own: a read-only request pays for no commit.
 */
@ApplicationScoped
@Transactional
public class ServerService {
    /**
     * Every command is kept whole in the audit log, so its length is bounded: as the agent counts a
     * command, its arguments' UTF-8 bytes, each with its terminating NUL.
     */
    static final int COMMAND_MAX_BYTES = 65536;

    @Inject
    CurrentUser user;
    @Inject
    TenantService tenants;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    AgentClient agents;
    @Inject
    Allocations allocations;
    @Inject
    Addresses addresses;
    @Inject
    EntityManager em;
    @Inject
    Rows rows;
    @Inject
    JsonText text;
    @Inject
    ServerCredentials credentials;

    /** A server the caller may see: any for admins, their tenant's for customers; destroyed ones are gone. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<VirtualServer> visible(long id) {
        return VirtualServer.<VirtualServer>findByIdOptional(id)
                .filter(v -> v.desiredState != VirtualServer.Desired.destroyed)
                .filter(v -> user.isAdmin() || user.tenantSlug().filter(v.tenant.slug::equals).isPresent());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public VirtualServer get(long id) {
        return visible(id).orElseThrow(() -> DomainException.notFound(r -> r.server_not_found(id)));
    }

    /** What the server may move: its tenant's plan's bandwidth and disk IO. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Rates rates(long id) {
        return get(id).tenant.plan.rates();
    }

    /** The server the caller may see, with its network and addresses, in one statement. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ServerView view(long id) {
        return visible(ServerView.SELECT, " and v.id = ?", ServerView::of, id).stream().findFirst().orElseThrow(() -> DomainException.notFound(r -> r.server_not_found(id)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ServerView view(VirtualServer v) {
        return ServerView.of(v, addresses.of(v.id).orElse(null));
    }

    /**
     * A page of the servers the caller may see that match the search, with their addresses: one statement, and a count only
     * past a full page.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<ServerView> list(PageRequest page, ServerSearch search) {
        List<Object> parameters = new ArrayList<>();
        String conditions = search.conditions(parameters, user.isAdmin());
        return Page.of(page, (offset, rows) -> visible(ServerView.SELECT, conditions + " order by v.id offset ? rows fetch first ? rows only",
                ServerView::of, Stream.concat(parameters.stream(), Stream.of(offset, rows)).toArray()),
                () -> visible("select count(*) from virtual_server v", conditions, r -> r.getLong(1), parameters.toArray()).get(0));
    }

    /**
     * What select reads of the servers the caller may see (any for admins, their tenant's for customers; destroyed ones are
     * gone), the server aliased v, rest and its parameters after the condition. A customer's tenant is a subquery's one id,
     * not a condition on a join: the driver runs the statement prepared, and PostgreSQL's generic plan for a slug on the
     * join walked every tenant's servers in id order (17 ms at 10,000 servers), where an id lets it read the tenant's own
     * from the (tenant_id, id) index, already in order (0.6 ms).
     */
    private <T> List<T> visible(String select, String rest, Rows.Reader<T> reader, Object... parameters) {
        String where = " where v.desired_state <> 'destroyed'";
        if (user.isAdmin()) {
            return rows.list(select + where + rest, reader, parameters);
        }
        Object[] withTenant = new Object[parameters.length + 1];
        withTenant[0] = user.myTenantSlug();
        System.arraycopy(parameters, 0, withTenant, 1, parameters.length);
        return rows.list(select + where + " and v.tenant_id = (select id from tenant where slug = ?)" + rest, reader, withTenant);
    }

    /** A host's servers without a user namespace of their own, for its page (admins). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ServerView> withoutUserNamespace(long hostId) {
        return VirtualServer.withoutUserNamespaceOn(hostId).list().stream().map(ServerView::of).toList();
    }

    public VirtualServer create(ServerRequest request, Long tenantId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.create);
        if (previous.isPresent()) {
            return previous.get().server;
        }
        return create(request, tenantId, idempotencyKey, null);
    }

    /** Orders a server on any host or only on onlyOn; the caller has looked for an earlier request with the same idempotency key. */
    public VirtualServer create(ServerRequest request, Long tenantId, String idempotencyKey, Host onlyOn) {
        String hostname = Hostnames.ascii("hostname", request.hostname());
        LongConsumer keepCredentials = credentials.check(request.sshKeys(), request.rootPassword());
        Tenant tenant = active(lockTenant(tenantId));
        Limits limits = request.limits();
        Quota.check(tenant.plan, allocations.ofTenant(tenant.id), limits, limits, true);
        Optional<Kind> network = Kind.ofPlan(tenant.plan.network);
        Host host = Placement.choose(allocations, request.template(), limits,
                network.map(k -> new Placement.Need(k, addresses.hostsWith(k))).orElse(null), onlyOn);
        VirtualServer v = new VirtualServer();
        v.tenant = tenant;
        v.host = host;
        v.hostname = hostname;
        v.template = request.template();
        v.setLimits(limits);
        v.desiredState = VirtualServer.Desired.running;
        v.observedState = VirtualServer.Observed.creating;
        v.createdAt = OffsetDateTime.now();
        v.updatedAt = v.createdAt;
        v.persist();
        Optional<ServerNetwork> place = network.map(k -> addresses.assign(v.id, host.id, host.name, k));
        keepCredentials.accept(v.id);
        operations.enqueue(v, Operation.Kind.create, idempotencyKey, null);
        audit.record("server.create", "server/" + v.id, "tenant " + tenant.slug + ", host " + host.name + ", " + v.hostname
                + place.map(p -> ", network " + p.name() + " " + p.ipv4() + (p.ipv6() == null ? "" : " " + p.ipv6())).orElse(""));
        return v;
    }

    /** start, stop, restart, reinstall or destroy: sets the desired state and queues the work. */
    public Operation act(long id, Operation.Kind kind, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = get(id);
        active(v.tenant);
        locked(v);
        switch (kind) {
            case start -> v.desiredState = VirtualServer.Desired.running;
            case stop -> v.desiredState = VirtualServer.Desired.stopped;
            case destroy -> v.desiredState = VirtualServer.Desired.destroyed;
            default -> {
            }
        }
        v.updatedAt = OffsetDateTime.now();
        Operation op = operations.enqueue(v, kind, idempotencyKey, null);
        audit.record("server." + kind, "server/" + v.id, null);
        return op;
    }

    /** A reinstall that may give root new credentials (request: null, or fields left out, for the ones it has). */
    public Operation reinstall(long id, ReinstallRequest request, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        if (request != null) {
            VirtualServer v = get(id);
            active(v.tenant);
            credentials.check(request.sshKeys(), request.rootPassword()).accept(locked(v).id);
        }
        return act(id, Operation.Kind.reinstall, idempotencyKey);
    }

    public Operation changeLimits(long id, LimitsRequest request, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = get(id);
        Tenant tenant = active(Tenant.lock(v.tenant.id).orElseThrow());
        // read again under the tenant's lock: a change committed meanwhile is what this one grows from
        locked(v);
        // what the customer last asked for is what this one changes; what the server holds until then is what grows
        Limits after = request.on(operations.asked(v));
        Limits holds = v.limits().max(after);
        Quota.check(tenant.plan, allocations.ofTenant(tenant.id), after, holds.minus(v.limits()), false);
        HostRoom.checkGrowth(allocations, v, holds);
        Operation op = operations.enqueueLimits(v, request, after, idempotencyKey);
        v.updatedAt = OffsetDateTime.now();
        audit.record("server.limits", "server/" + v.id, text.of(after));
        return op;
    }

    /**
     * Runs a command inside the server now (not queued): the caller waits for its output. Audited before
     * it runs, with the outcome added when it has ended (its exit code), was refused or failed (the reason).
     */
    @Transactional(Transactional.TxType.NEVER)
    public ExecResult exec(long id, List<String> command, int timeoutSeconds) {
        if (command.stream().mapToLong(argument -> argument.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1).sum() > COMMAND_MAX_BYTES) {
            throw DomainException.invalid("command", r -> r.server_command_too_long(COMMAND_MAX_BYTES));
        }
        VirtualServer v = managed(id);
        String what = "command " + text.of(command);
        long event = audit.recordNow("server.exec", "server/" + v.id, what + ": running");
        try {
            ExecResult r = ExecResult.of(agents.exec(v.host.agent(), v.agentId(), command, timeoutSeconds));
            audit.complete(event, what + ": " + (r.timedOut() ? "timed out after " + timeoutSeconds + " s, " : "") + "exit code " + r.exitCode());
            return r;
        } catch (DomainException e) {
            audit.complete(event, what + (e.kind() == DomainException.Kind.UNAVAILABLE ? ": failed: " : ": refused: ") + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.complete(event, what + ": failed in the panel: " + e);
            throw e;
        }
    }

    /** How the running server is held in, as its agent reads it now. */
    @Transactional(Transactional.TxType.NEVER)
    public Isolation isolation(long id) {
        VirtualServer v = managed(id);
        return Isolation.of(agents.isolation(v.host.agent(), v.agentId()));
    }

    /** A server the caller may see and act on now: a suspended tenant's users may not, admins may. */
    public VirtualServer managed(long id) {
        VirtualServer v = get(id);
        if (!user.isAdmin()) {
            active(v.tenant);
        }
        return locked(v);
    }

    /**
     * The server read again under its row lock, so changes to one server follow one another: one read before
     * a destroy committed would otherwise write the old desired state back, or queue work for a server gone.
     */
    private VirtualServer locked(VirtualServer v) {
        em.refresh(v, LockModeType.PESSIMISTIC_WRITE);
        if (v.desiredState == VirtualServer.Desired.destroyed) {
            throw DomainException.notFound(r -> r.server_not_found(v.id));
        }
        return v;
    }

    private Tenant lockTenant(Long tenantId) {
        if (tenantId != null && !user.isAdmin()) {
            throw DomainException.invalid("tenantId", Refusals::server_other_tenant);
        }
        long id = tenantId != null ? tenantId : tenants.mine().id;
        return Tenant.lock(id).orElseThrow(() -> DomainException.invalid("tenantId", r -> r.server_tenant_not_found(id)));
    }

    private static Tenant active(Tenant t) {
        if (t.status != Tenant.Status.active) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, null, r -> r.server_tenant_inactive(t.slug, t.status.toString(),
                    t.status == Tenant.Status.suspended));
        }
        return t;
    }
}
