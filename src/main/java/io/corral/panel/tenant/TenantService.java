package io.corral.panel.tenant;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

@ApplicationScoped
@Transactional
public class TenantService {
    @Inject
    Audit audit;
    @Inject
    CurrentUser user;

    /** A tenant the caller may see: any for admins, only their own for customers. */
    public Optional<Tenant> visible(long id) {
        return Tenant.<Tenant>findByIdOptional(id).filter(t -> user.isAdmin() || user.tenantSlug().filter(t.slug::equals).isPresent());
    }

    /** The slug of the caller's tenant, from the identity; customers without one are refused. */
    public String mySlug() {
        return user.tenantSlug().orElseThrow(() -> new DomainException(DomainException.Kind.FORBIDDEN, null,
                "your account belongs to no tenant; ask an admin to add you to one"));
    }

    /** The caller's own tenant; customers without one are refused. */
    public Tenant mine() {
        String slug = mySlug();
        return Tenant.findBySlug(slug).orElseThrow(() -> new DomainException(DomainException.Kind.FORBIDDEN, null,
                "your tenant '" + slug + "' does not exist"));
    }

    public Tenant create(TenantRequest r) {
        if (Tenant.findBySlug(r.slug()).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "slug", "slug: a tenant '" + r.slug() + "' already exists");
        }
        Tenant t = new Tenant();
        t.name = r.name();
        t.slug = r.slug();
        t.plan = plan(r.planId());
        t.status = Tenant.Status.active;
        t.createdAt = OffsetDateTime.now();
        t.persist();
        audit.record("tenant.create", "tenant/" + t.slug, "plan " + t.plan.name);
        return t;
    }

    public Tenant update(long id, TenantRequest r) {
        Tenant t = Tenant.lock(id).orElseThrow(() -> DomainException.notFound("tenant " + id));
        if (!t.slug.equals(r.slug())) {
            throw DomainException.invalid("slug", "cannot be changed (it names the tenant in identities)");
        }
        t.name = r.name();
        t.plan = plan(r.planId());
        audit.record("tenant.update", "tenant/" + t.slug, "plan " + t.plan.name);
        return t;
    }

    public Tenant setStatus(long id, Tenant.Status status) {
        Tenant t = Tenant.lock(id).orElseThrow(() -> DomainException.notFound("tenant " + id));
        t.status = status;
        audit.record("tenant." + (status == Tenant.Status.suspended ? "suspend" : "activate"), "tenant/" + t.slug, null);
        return t;
    }

    private static Plan plan(long planId) {
        return Plan.<Plan>findByIdOptional(planId).orElseThrow(() -> DomainException.invalid("planId", "plan " + planId + " does not exist"));
    }
}
