package io.corral.panel.tenant;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.Rollbacks;
import io.corral.panel.identity.TenantDirectory;
import io.corral.panel.identity.VerifiedBearerTokens;
import io.corral.panel.identity.TenantDirectory.Member;
import io.corral.panel.identity.TenantDirectory.NewUser;
import io.corral.panel.plan.Plan;
import io.corral.panel.plan.RatesChanged;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Tenants in PostgreSQL and their users in Keycloak, changed together: the database change is made
 * (and flushed) first, then Keycloak's; a Keycloak failure rolls the database back, and a database
 * commit that fails afterwards undoes the Keycloak change.
 */
@ApplicationScoped
@Transactional
public class TenantService {
    @Inject
    Event<RatesChanged> ratesChanged;
    @Inject
    Event<TenantDeleted> deleted;
    @Inject
    Audit audit;
    @Inject
    CurrentUser user;
    @Inject
    TenantDirectory directory;
    @Inject
    Rollbacks rollbacks;
    @Inject
    VerifiedBearerTokens verified;
    @Inject
    TenantServers servers;

    /** Every tenant (admins). */
    public Page<TenantView> list(PageRequest page) {
        return Page.of(bySlug(), page, TenantView::of);
    }

    public List<TenantView> all() {
        return bySlug().list().stream().map(TenantView::of).toList();
    }

    private static PanacheQuery<Tenant> bySlug() {
        return Tenant.findAll(Sort.by("slug"));
    }

    /** A tenant the caller may see: any for admins, only their own for customers. */
    public Optional<Tenant> visible(long id) {
        return Tenant.<Tenant>findByIdOptional(id).filter(t -> user.isAdmin() || user.tenantSlug().filter(t.slug::equals).isPresent());
    }

    /** The caller's own tenant; customers without one are refused. */
    public Tenant mine() {
        String slug = user.myTenantSlug();
        return Tenant.findBySlug(slug).filter(t -> t.status != Tenant.Status.deleted).orElseThrow(() -> new DomainException(
                DomainException.Kind.FORBIDDEN, null, r -> r.tenant_yours_gone(slug)));
    }

    /** The tenant, its Keycloak group and its owner, who gets a temporary password. */
    public NewTenant create(TenantRequest r) {
        if (r.ownerEmail() == null) {
            throw DomainException.invalid("ownerEmail", Refusals::tenant_owner_email_required);
        }
        if (Tenant.findBySlug(r.slug()).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "slug", words -> words.tenant_slug_taken(r.slug()));
        }
        Tenant t = new Tenant();
        t.name = r.name();
        t.slug = r.slug();
        t.plan = plan(r.planId());
        t.status = Tenant.Status.active;
        t.createdAt = OffsetDateTime.now();
        t.persistAndFlush();
        NewUser owner = directory.createTenant(t.slug, r.ownerEmail());
        rollbacks.onRollback(() -> directory.deleteTenant(t.slug));
        audit.record("tenant.create", "tenant/" + t.slug, "plan " + t.plan.name + ", owner " + owner.username());
        return new NewTenant(TenantView.of(t), owner);
    }

    public Tenant update(long id, TenantRequest r) {
        Tenant t = existing(id);
        if (!t.slug.equals(r.slug())) {
            throw DomainException.invalid("slug", Refusals::tenant_slug_fixed);
        }
        t.name = r.name();
        Plan before = t.plan;
        t.plan = plan(r.planId());
        if (!t.plan.rates().equals(before.rates())) {
            ratesChanged.fire(new RatesChanged(t.plan.id, t.id));
        }
        audit.record("tenant.update", "tenant/" + t.slug, "plan " + t.plan.name);
        return t;
    }

    /** Suspending disables the tenant's users in Keycloak (ending their sessions); activating enables them. */
    public Tenant setStatus(long id, Tenant.Status status) {
        Tenant t = existing(id);
        if (t.status == status) {
            return t;
        }
        boolean enabled = status == Tenant.Status.active;
        t.status = status;
        Tenant.flush();
        directory.setEnabled(t.slug, enabled);
        rollbacks.onRollback(() -> directory.setEnabled(t.slug, !enabled));
        if (!enabled) {
            rollbacks.onCommit(() -> verified.forget(token -> CurrentUser.tenantSlugOf(token).filter(t.slug::equals).isPresent())); // its API clients' tokens are refused from now on
        }
        audit.record("tenant." + (enabled ? "activate" : "suspend"), "tenant/" + t.slug, null);
        return t;
    }

    /**
     * Deletes a tenant without live servers: the backups its destroyed servers left are deleted from their stores, its
     * users and group leave Keycloak; its row stays, marked deleted, for the history of its destroyed servers (and its
     * slug is not given out again).
     */
    public Tenant delete(long id) {
        Tenant t = existing(id);
        long live = servers.ofTenant(t.id).servers();
        if (live > 0) {
            throw DomainException.conflict(r -> r.tenant_has_servers(t.slug, live));
        }
        t.status = Tenant.Status.deleted;
        deleted.fire(new TenantDeleted(t.id, t.slug));
        Tenant.flush();
        // Deleting users cannot be undone, so this comes last; a failure midway rolls the row back and a
        // retry removes what is left.
        directory.deleteTenant(t.slug);
        rollbacks.onCommit(() -> verified.forget(token -> CurrentUser.tenantSlugOf(token).filter(t.slug::equals).isPresent()));
        audit.record("tenant.delete", "tenant/" + t.slug, null);
        return t;
    }

    /** A further user of the tenant, by its owner or an admin. */
    public NewUser invite(long id, InviteRequest r) {
        Tenant t = managedByCaller(id);
        if (t.status != Tenant.Status.active) {
            throw DomainException.conflict(words -> words.tenant_inactive_invite(t.slug, t.status.toString()));
        }
        NewUser invited = directory.invite(t.slug, r.email());
        audit.record("tenant.invite", "tenant/" + t.slug, invited.username());
        return invited;
    }

    public List<Member> users(long id) {
        return directory.members(managedByCaller(id).slug);
    }

    /** The tenant if the caller is an admin or the owner of that tenant; others learn nothing of it. */
    public Tenant managedByCaller(long id) {
        Tenant t = visible(id).filter(x -> x.status != Tenant.Status.deleted).orElseThrow(() -> DomainException.notFound(r -> r.tenant_not_found(id)));
        if (!user.isAdmin() && !user.isTenantOwner()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, null, Refusals::tenant_users_owner_only);
        }
        return t;
    }

    private static Tenant existing(long id) {
        return Tenant.lock(id).filter(t -> t.status != Tenant.Status.deleted).orElseThrow(() -> DomainException.notFound(r -> r.tenant_not_found(id)));
    }

    private static Plan plan(long planId) {
        return Plan.<Plan>findByIdOptional(planId).orElseThrow(() -> DomainException.invalid("planId", r -> r.tenant_plan_not_found(planId)));
    }
}
