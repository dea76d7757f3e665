package io.corral.panel.ui;

import io.corral.panel.audit.Audit;
import io.corral.panel.audit.AuditView;
import io.corral.panel.backup.Evacuation;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.QueryParams;
import io.corral.panel.consolidation.ConsolidationService;
import io.corral.panel.consolidation.FleetStatistics;
import io.corral.panel.consolidation.HostStatistics;
import io.corral.panel.consolidation.MoveRunView;
import io.corral.panel.consolidation.MoveRuns;
import io.corral.panel.consolidation.ConsolidationPage;
import io.corral.panel.consolidation.ConsolidationPlan;
import io.corral.panel.consolidation.Resources;
import io.corral.panel.consolidation.Shown;
import io.corral.panel.consolidation.Window;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostChange;
import io.corral.panel.host.HostRequest;
import io.corral.panel.host.HostSearch;
import io.corral.panel.host.HostService;
import io.corral.panel.network.NetworkRequest;
import io.corral.panel.network.NetworkService;
import io.corral.panel.network.NetworkView;
import io.corral.panel.network.PoolRequest;
import io.corral.panel.plan.Plan;
import io.corral.panel.plan.PlanService;
import io.corral.panel.plan.PlanView;
import io.corral.panel.server.OperationView;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.ServerView;
import io.corral.panel.tenant.NewTenant;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.tenant.TenantRequest;
import io.corral.panel.tenant.TenantService;
import io.corral.panel.tenant.TenantView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admins' pages: hosts (each with its statistics and chart), consolidation, tenants and plans
 * (with forms to add and change them), networks (their pools, how full, their hosts), operations, audit log.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(CurrentUser.ADMIN)
public class AdminPages {
    @Inject
    Language language;
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance hosts(Viewer viewer, List<io.corral.panel.host.HostView> hosts, HostSearch search, Pager pager,
                                             String error);

        static native TemplateInstance host(Viewer viewer, io.corral.panel.host.HostView host, HostStatistics stats,
                                            List<ServerView> withoutUserNamespace, String error);

        static native TemplateInstance consolidation(Viewer viewer, String window, double headroom, Shown<FleetStatistics> shownFleet, FleetStatistics fleet,
                                                     List<HostStatistics> hosts, Pager pager, Shown<ConsolidationPlan> shownPlan,
                                                     ConsolidationPlan plan, MoveRunView run, String error);

        static native TemplateInstance tenants(Viewer viewer, List<TenantView> tenants, List<PlanView> plans, PlanView suggested, String error,
                                               NewTenant created);

        static native TemplateInstance plan(Viewer viewer, PlanView plan, String error);

        static native TemplateInstance networks(Viewer viewer, List<NetworkView> networks, List<io.corral.panel.host.HostView> hosts,
                                                String error);

        static native TemplateInstance operations(Viewer viewer, List<OperationView> operations);

        static native TemplateInstance audit(Viewer viewer, List<AuditView> events);
    }

    /** What the form for a new plan starts with: five servers of up to 4 GiB, 2 CPUs and normal CPU weight each, on a private network, no bandwidth or disk IO limit, unmetered traffic, the default snapshots and backups. */
    private static final PlanView SUGGESTED_PLAN = new PlanView(0, "", 5, 8192, 8192, BigDecimal.valueOf(4), 500, 20480, 102400, 4096,
            4096, BigDecimal.valueOf(2), 100, 4096, 51200, 0, 0, 0, 0, Plan.DEFAULT_PORT_FORWARDS, Plan.DEFAULT_SNAPSHOTS,
            Plan.DEFAULT_SNAPSHOT_GIB, Plan.DEFAULT_BACKUPS, BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO, null, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, "EUR", "private");

    @Inject
    CurrentUser user;
    @Inject
    HostService hosts;
    @Inject
    ServerService servers;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    TenantService tenants;
    @Inject
    PlanService plans;
    @Inject
    Forms forms;
    @Inject
    ConsolidationService consolidation;
    @Inject
    ConsolidationPage consolidationPage;
    @Inject
    MoveRuns moveRuns;
    @Inject
    NetworkService networks;
    @Inject
    Evacuation evacuation;

    /** The hosts, 50 a page, searched as the API searches them. */
    @GET
    @Path("hosts")
    public TemplateInstance hostList(@BeanParam PageRequest page, @BeanParam HostSearch search, @QueryParam("error") String error) {
        Page<io.corral.panel.host.HostView> found = hosts.list(page, search);
        return language.page(Templates.hosts(Viewer.of(user), found.items(), search, Pager.of(found, "/admin/hosts", search.query()), error));
    }

    @GET
    @Path("hosts/{id}")
    public TemplateInstance host(@PathParam("id") long id, @QueryParam("error") String error) {
        Host host = hosts.find(id).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(id)));
        HostStatistics stats = consolidation.statistics(Window.WEEK, null, null).perHost().stream()
                .filter(h -> h.hostId() == id).findFirst().orElseThrow();
        return language.page(Templates.host(Viewer.of(user), hosts.view(host), stats, servers.withoutUserNamespace(id), error));
    }

    /** The host's chart over a window (24h, 7d, 30d), for charts.js on its page. */
    @GET
    @Path("hosts/{id}/chart")
    @Produces(MediaType.APPLICATION_JSON)
    public Chart hostChart(@PathParam("id") long id, @QueryParam("window") String window) {
        Host h = hosts.find(id).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(id)));
        return Chart.ofHost(consolidation.series(id, Window.parse("window", window, Window.DAY)), Resources.capacityOf(h));
    }

    /** The fleet's statistics (the hosts 50 a page) and the plan, as soon as they are made (ConsolidationPage). */
    @GET
    @Path("consolidation")
    public TemplateInstance consolidation(@QueryParam("window") String window, @QueryParam("headroom") String headroomPercent,
                                          @BeanParam PageRequest page, @QueryParam("error") String error) {
        MoveRunView run = moveRuns.latest().orElse(null);
        try {
            return consolidation(Window.parse("window", window, Window.WEEK), headroomPercent, page, run, error);
        } catch (DomainException e) {
            return consolidation(Window.WEEK, null, PageRequest.of(0, 50), run, language.refusal(e));
        }
    }

    /** headroomPercent: as asked, which the pages' links keep as it is. */
    private TemplateInstance consolidation(Window window, String headroomPercent, PageRequest page, MoveRunView run, String error) {
        Double headroom = headroomShare(headroomPercent);
        ConsolidationPage.View view = consolidationPage.view(window, headroom);
        Shown<FleetStatistics> fleet = view.statistics();
        Shown<ConsolidationPlan> plan = view.plan();
        Page<HostStatistics> hosts = Page.of(fleet.value() == null ? List.of() : fleet.value().perHost(), page);
        Map<String, String> search = new LinkedHashMap<>();
        search.put("window", window.label);
        search.put("headroom", headroomPercent);
        return language.page(Templates.consolidation(Viewer.of(user), window.label, view.headroom(), fleet, fleet.value(), hosts.items(), Pager.of(hosts, "/admin/consolidation", search),
                plan, plan.value(), run, error));
    }

    /** Carries out the plan the page shows, made again from the fleet as it is now. */
    @POST
    @Path("consolidation/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response runPlan(@FormParam("window") String window, @FormParam("headroom") String headroomPercent) {
        return submit("/admin/consolidation", () -> moveRuns.runPlan(Window.parse("window", window, Window.WEEK), headroomShare(headroomPercent),
                user.name()));
    }

    @POST
    @Path("consolidation/runs/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancelRun(@PathParam("id") long id) {
        return submit("/admin/consolidation", () -> moveRuns.cancel(id, user.name()));
    }

    /** Moves every server of the host away (a run, shown on the consolidation page). */
    @POST
    @Path("hosts/{id}/empty")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response emptyHost(@PathParam("id") long id) {
        try {
            moveRuns.drain(id, user.name());
            return Redirects.to("/admin/consolidation");
        } catch (DomainException e) {
            return Redirects.withError("/admin/hosts", language.refusal(e));
        }
    }

    /** The headroom as the page asks for it, in percent, as the share the services take. */
    private static Double headroomShare(String percent) {
        Double p = QueryParams.number("headroom", percent);
        return p == null ? null : p / 100;
    }

    @POST
    @Path("hosts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response registerHost(@FormParam("name") String name, @FormParam("agentUrl") String agentUrl, @FormParam("secret") String secret,
                                 @FormParam("fingerprint") String fingerprint) {
        String pin = fingerprint == null || fingerprint.isBlank() ? null : fingerprint;
        return submit("/admin/hosts", () -> hosts.register(forms.valid(new HostRequest(name, agentUrl, secret, pin, null, null, null))));
    }

    @POST
    @Path("hosts/{id}/{change:drain|undrain}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response drain(@PathParam("id") long id, @PathParam("change") String change) {
        return submit("/admin/hosts", () -> hosts.change(id, new HostChange(change.equals("drain"), null, null, null, null, null)));
    }

    /** Where customers reach the host (its forwards show at it); empty: the agent URL's host again. */
    @POST
    @Path("hosts/{id}/public-address")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publicAddress(@PathParam("id") long id, @FormParam("publicAddress") String publicAddress) {
        return submit("/admin/hosts/" + id, () -> hosts.change(id, new HostChange(null, null, null, null,
                publicAddress == null ? "" : publicAddress, null)));
    }

    /** The backup store the host shares with other hosts; empty: its own. */
    @POST
    @Path("hosts/{id}/backup-store")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response backupStore(@PathParam("id") long id, @FormParam("backupStore") String backupStore) {
        return submit("/admin/hosts/" + id, () -> hosts.change(id, new HostChange(null, null, null, null, null,
                backupStore == null ? "" : backupStore)));
    }

    /** The down host's servers made anew elsewhere from their backups; those that could not be are named on the host's page. */
    @POST
    @Path("hosts/{id}/evacuate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response evacuate(@PathParam("id") long id) {
        try {
            Evacuation.Result r = evacuation.evacuate(id);
            if (r.skipped().isEmpty()) {
                return Redirects.to("/admin/operations");
            }
            return Redirects.withError("/admin/hosts/" + id, evacuatedInPart(r));
        } catch (DomainException e) {
            return Redirects.withError("/admin/hosts/" + id, language.refusal(e));
        }
    }

    /** What an evacuation that left servers behind says, in the page's language: how many went, the first five that stay and why. */
    private String evacuatedInPart(Evacuation.Result r) {
        Locale locale = language.locale();
        AdminMessages msg = Language.messages(AdminMessages.class, locale);
        List<String> staying = new ArrayList<>(r.skipped().stream().limit(5).map(s -> msg.host_evacuated_staying(s.hostname(), s.serverId(), s.reason())).toList());
        if (r.skipped().size() > 5) {
            staying.add(msg.host_evacuated_more(LocalFormats.number(r.skipped().size() - 5, locale)));
        }
        return msg.host_evacuated_some(LocalFormats.number(r.evacuated().size(), locale),
                LocalFormats.number(r.evacuated().size() + r.skipped().size(), locale), String.join("; ", staying));
    }

    @GET
    @Path("tenants")
    public TemplateInstance tenantList(@QueryParam("error") String error) {
        return tenantPage(error, null);
    }

    private TemplateInstance tenantPage(String error, NewTenant created) {
        return language.page(Templates.tenants(Viewer.of(user), tenants.all(), plans.all(), SUGGESTED_PLAN, error, created));
    }

    @POST
    @Path("tenants")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createTenant(@FormParam("name") String name, @FormParam("slug") String slug, @FormParam("planId") Long planId,
                                 @FormParam("ownerEmail") String ownerEmail) {
        try {
            NewTenant created = tenants.create(forms.valid(new TenantRequest(name, slug, planId, ownerEmail)));
            // The owner's temporary password is on this answer only, never in an address or stored.
            return Response.ok(tenantPage(null, created)).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (DomainException e) {
            return Redirects.withError("/admin/tenants", language.refusal(e));
        }
    }

    @POST
    @Path("tenants/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteTenant(@PathParam("id") long id) {
        return submit("/admin/tenants", () -> tenants.delete(id));
    }

    @POST
    @Path("tenants/{id}/{change:suspend|activate}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response suspend(@PathParam("id") long id, @PathParam("change") String change) {
        return submit("/admin/tenants", () -> tenants.setStatus(id, change.equals("suspend") ? Tenant.Status.suspended : Tenant.Status.active));
    }

    @POST
    @Path("plans")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createPlan(@BeanParam PlanForm form) {
        return submit("/admin/tenants", () -> plans.create(forms.valid(form.request())));
    }

    @GET
    @Path("plans/{id}")
    public TemplateInstance plan(@PathParam("id") long id, @QueryParam("error") String error) {
        return language.page(Templates.plan(Viewer.of(user), plans.find(id).map(PlanView::of).orElseThrow(() -> DomainException.notFound(r -> r.plan_not_found(id))), error));
    }

    @POST
    @Path("plans/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePlan(@PathParam("id") long id, @BeanParam PlanForm form) {
        try {
            plans.update(id, forms.valid(form.request()));
            return Redirects.to("/admin/tenants");
        } catch (DomainException e) {
            return Redirects.withError("/admin/plans/" + id, language.refusal(e));
        }
    }

    @GET
    @Path("networks")
    public TemplateInstance networkList(@QueryParam("error") String error) {
        return language.page(Templates.networks(Viewer.of(user), networks.all(), hosts.all(), error));
    }

    @POST
    @Path("networks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createNetwork(@FormParam("name") String name, @FormParam("kind") String kind, @FormParam("ipv4Prefix") String ipv4Prefix,
                                  @FormParam("gateway4") String gateway4, @FormParam("ipv6Prefix") String ipv6Prefix,
                                  @FormParam("gateway6") String gateway6, @FormParam("resolvers") String resolvers) {
        List<String> resolverList = resolvers == null || resolvers.isBlank() ? List.of() : List.of(resolvers.trim().split("[\\s,]+"));
        return submit("/admin/networks", () -> networks.create(forms.valid(new NetworkRequest(name, kind, ipv4Prefix, gateway4,
                blankAsNull(ipv6Prefix), blankAsNull(gateway6), resolverList))));
    }

    @POST
    @Path("networks/{id}/pools")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addPool(@PathParam("id") long id, @FormParam("first") String first, @FormParam("last") String last) {
        return submit("/admin/networks", () -> networks.addPool(id, forms.valid(new PoolRequest(first, last))));
    }

    @POST
    @Path("networks/{id}/{change:attach|detach}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response attachNetwork(@PathParam("id") long id, @PathParam("change") String change, @FormParam("hostId") Long hostId,
                                  @FormParam("uplink") String uplink) {
        return submit("/admin/networks", () -> {
            if (hostId == null) {
                throw DomainException.invalid("hostId", r -> r.admin_choose_host());
            }
            return change.equals("attach") ? networks.attach(id, hostId, blankAsNull(uplink)) : networks.detach(id, hostId);
        });
    }

    @POST
    @Path("networks/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteNetwork(@PathParam("id") long id) {
        return submit("/admin/networks", () -> {
            networks.delete(id);
            return null;
        });
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @GET
    @Path("operations")
    public TemplateInstance operationList() {
        return language.page(Templates.operations(Viewer.of(user), operations.list(null, PageRequest.of(0, 100)).items()));
    }

    @GET
    @Path("audit")
    public TemplateInstance auditLog() {
        return language.page(Templates.audit(Viewer.of(user), audit.list(PageRequest.of(0, 200)).items()));
    }

    /** Runs a change and goes back to the page, with the refusal shown there if there was one. */
    private Response submit(String page, Supplier<Object> change) {
        try {
            change.get();
            return Redirects.to(page);
        } catch (DomainException e) {
            return Redirects.withError(page, language.refusal(e));
        }
    }
}
