package io.corral.panel.ui;

import io.corral.panel.backup.BackupService;
import io.corral.panel.backup.BackupView;
import io.corral.panel.backup.ScheduleService;
import io.corral.panel.billing.BillingResource;
import io.corral.panel.billing.BillingService;
import io.corral.panel.billing.TrafficMonth;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.common.QueryParams;
import io.corral.panel.consolelog.ConsoleLogService;
import io.corral.panel.consolelog.ConsoleLogView;
import io.corral.panel.consolidation.Window;
import io.corral.panel.credential.CredentialService;
import io.corral.panel.credential.SshKey;
import io.corral.panel.firewall.Firewall;
import io.corral.panel.firewall.FirewallService;
import io.corral.panel.forward.ForwardService;
import io.corral.panel.forward.PortForwards;
import io.corral.panel.host.HostService;
import io.corral.panel.limits.Allocation;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.corral.panel.server.Allocations;
import io.corral.panel.server.Isolation;
import io.corral.panel.server.Operation;
import io.corral.panel.server.OperationView;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerRequest;
import io.corral.panel.server.ServerSearch;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.ServerView;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.snapshot.SnapshotService;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.tenant.TenantService;
import io.corral.panel.tenant.TenantView;
import io.corral.panel.usage.UsageHour;
import io.corral.panel.usage.UsageService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The browser UI: server-rendered pages for customers and admins, over the same services as the API. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class UiResource {
    @Inject
    Language language;
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance servers(Viewer viewer, List<ServerView> servers, ServerSearch search, Pager pager);

        static native TemplateInstance newServer(Viewer viewer, Allowance allowance, List<TenantView> tenants,
                                                 List<TemplateChoice> templates, Form form, FromBackup fromBackup, String error);

        static native TemplateInstance server(Viewer viewer, ServerView server, List<OperationView> operations, Notice notice, String error,
                                              IsolationSection isolation, UsageHour month, io.corral.panel.billing.BillingService.Cost costSoFar, Firewall firewall,
                                              Rates rates, PortForwards forwards, TrafficMonth traffic, List<SshKey> sshKeys,
                                              CopiesSection copies);




    }


    /** What the viewer's plan still allows in all, and per server, shown on the order form. */
    public record Allowance(String plan, Allocation left, Limits perServer) {
    }

    /** A template the order form offers (one installed on a host that takes new servers), by name and as shown. */
    public record TemplateChoice(String name, String label) {
        private static final Map<String, String> LABELS = Map.of("busybox", "BusyBox (tiny)", "debian", "Debian 12", "debian-ssh", "Debian 12 with SSH");

        static List<TemplateChoice> of(List<String> names) {
            return names.stream().map(n -> new TemplateChoice(n, LABELS.getOrDefault(n, n))).toList();
        }
    }

    /** The backup a new server is ordered from: its template and the least disk it takes are the order's. */
    public record FromBackup(String id, java.time.OffsetDateTime takenAt, String template, long diskMiB) {
        static FromBackup of(BackupView b) {
            return new FromBackup(b.id(), b.takenAt(), b.template(), BackupService.diskMiB(b.diskBytes()));
        }

        Form suggest(Form f) {
            Limits l = f.limits();
            return new Form(f.hostname(), template, new Limits(l.memoryMiB(), l.swapMiB(), l.cpus(), l.cpuWeight(), l.pids(),
                    Math.max(diskMiB, l.diskMiB())), f.tenantId(), f.sshKeys());
        }
    }

    /**
     * The order form's fields, kept when it is shown again with an error (limits left empty as the defaults;
     * the password is not: it is typed again).
     */
    public record Form(String hostname, String template, Limits limits, Long tenantId, String sshKeys) {
        /** The default server, busybox where offered, shrunk to what the plan still allows. */
        static Form suggested(Allowance a, List<String> offered) {
            Limits d = Limits.DEFAULTS;
            String template = offered.contains("busybox") || offered.isEmpty() ? "busybox" : offered.get(0);
            if (a == null) {
                return new Form("", template, d, null, null);
            }
            Limits per = a.perServer();
            Allocation left = a.left();
            return new Form("", template, new Limits(fit(d.memoryMiB(), per.memoryMiB(), left.memoryMiB(), Limits.MIN_MEMORY_MIB),
                    fit(d.swapMiB(), per.swapMiB(), left.swapMiB(), 0),
                    d.cpus().min(per.cpus()).min(left.cpus()).max(new BigDecimal(Limits.MIN_CPUS)),
                    (int) fit(d.cpuWeight(), per.cpuWeight(), left.cpuWeight(), Limits.MIN_CPU_WEIGHT),
                    (int) fit(d.pids(), per.pids(), left.pids(), Limits.MIN_PIDS),
                    fit(d.diskMiB(), per.diskMiB(), left.diskMiB(), Limits.MIN_DISK_MIB)), null, null);
        }

        /** The default, or less where the plan allows less, but never below the least a server takes. */
        private static long fit(long wanted, long perServer, long left, long least) {
            return Math.max(least, Math.min(wanted, Math.min(perServer, left)));
        }
    }

    @Inject
    CurrentUser user;
    @Inject
    ServerService servers;
    @Inject
    FirewallService firewalls;
    @Inject
    SnapshotService snapshots;
    @Inject
    BackupService backups;
    @Inject
    ScheduleService schedules;
    @Inject
    ForwardService forwards;
    @Inject
    Operations operations;
    @Inject
    TenantService tenants;
    @Inject
    Allocations allocations;
    @Inject
    Forms forms;
    @Inject
    UsageService usage;
    @Inject
    BillingService billing;
    @Inject
    HostService hosts;
    @Inject
    ConsoleLogService consoleLogs;
    @Inject
    CredentialService credentials;

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/servers")).build();
    }

    /** The servers the viewer may see, 50 a page, searched as the API searches them. */
    @GET
    @Path("servers")
    public TemplateInstance serverList(@BeanParam PageRequest page, @BeanParam ServerSearch search) {
        Page<ServerView> found = servers.list(page, search);
        return language.page(Templates.servers(viewer(), found.items(), search, Pager.of(found, "/servers", search.query())));
    }

    /** The order form; with fromBackup, the order of a new server made from that backup (of its template, on its host). */
    @GET
    @Path("servers/new")
    @Transactional
    public TemplateInstance newServer(@QueryParam("fromBackup") String fromBackup) {
        return orderForm(null, fromBackup, null);
    }

    /**
     * Not one transaction: the order's own rolls back when it is refused, and the form is then shown
     * again from fresh reads (a refusal before the order touched the database would have left a shared
     * transaction unable to read).
     */
    @POST
    @Path("servers")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object order(@FormParam("hostname") String hostname, @FormParam("template") String template,
                        @FormParam("memoryMiB") Long memoryMiB, @FormParam("swapMiB") Long swapMiB, @FormParam("cpus") BigDecimal cpus,
                        @FormParam("cpuWeight") Integer cpuWeight, @FormParam("pids") Integer pids, @FormParam("diskMiB") Long diskMiB,
                        @FormParam("tenantId") Long tenantId, @FormParam("sshKeys") String sshKeys,
                        @FormParam("rootPassword") String rootPassword, @FormParam("fromBackup") String fromBackup) {
        List<String> keys = sshKeys == null ? List.of() : sshKeys.lines().filter(l -> !l.isBlank()).toList();
        ServerRequest request = new ServerRequest(hostname, template, memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB, keys, rootPassword);
        Form form = new Form(hostname, template, request.limits(), tenantId, sshKeys);
        boolean restoring = fromBackup != null && !fromBackup.isEmpty();
        try {
            VirtualServer created = restoring ? backups.newServer(fromBackup, forms.valid(request), null)
                    : servers.create(forms.valid(request), user.isAdmin() ? tenantId : null, null);
            return Response.seeOther(URI.create("/servers/" + created.id + "?notice=" + (restoring ? "ordered-from-backup" : "ordered"))).build();
        } catch (DomainException e) {
            return orderForm(form, fromBackup, language.refusal(e));
        }
    }

    /**
     * The order form, shown anew (kept null: the plan's suggestion) or again with the fields kept and an error; with fromBackup,
     * the order of a new server made from that backup: its template only, its disk at least the backup's, for the backup's
     * tenant (so no tenant to choose).
     */
    private TemplateInstance orderForm(Form kept, String fromBackup, String error) {
        Allowance allowance = allowance();
        if (fromBackup == null || fromBackup.isEmpty()) {
            List<String> offered = hosts.offeredTemplates();
            return language.page(Templates.newServer(viewer(), allowance, tenantChoices(), TemplateChoice.of(offered),
                    kept != null ? kept : Form.suggested(allowance, offered), null, error));
        }
        FromBackup from = FromBackup.of(backups.orderable(fromBackup));
        List<String> offered = List.of(from.template());
        return language.page(Templates.newServer(viewer(), allowance, List.of(), TemplateChoice.of(offered),
                kept != null ? kept : from.suggest(Form.suggested(allowance, offered)), from, error));
    }

    @GET
    @Path("servers/{id}")
    public TemplateInstance server(@PathParam("id") long id, @QueryParam("notice") String notice, @QueryParam("error") String error) {
        ServerView view = servers.view(id);
        List<OperationView> ops = operations.list(id, PageRequest.of(0, 10)).items();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        return language.page(Templates.server(viewer(), view, ops, Notice.of(notice), error, isolation(view), usage.monthToDate(id),
                billing.costInMonth(view.tenantId(), id, today), firewalls.of(id), servers.rates(id), forwards.of(id),
                billing.trafficInMonth(id, today, java.time.YearMonth.from(today)), credentials.keys(id),
                CopiesSection.of(snapshots.list(id), backups.list(id), schedules.of(id).orElse(null))));
    }

    /** A running server's isolation report, or why its host could not give one; neither while the server does not run. */
    public record IsolationSection(Isolation report, String unavailable) {
    }

    private IsolationSection isolation(ServerView view) {
        if (!"running".equals(view.observedState().name())) {
            return new IsolationSection(null, null);
        }
        try {
            return new IsolationSection(servers.isolation(view.id()), null);
        } catch (DomainException e) {
            return new IsolationSection(null, language.refusal(e));
        }
    }

    /**
     * What the server's page says once a form or an order is done (?notice=ordered, ?notice=snapshot-restore ...): the
     * notice's name with _ for -. Another name says nothing.
     */
    public enum Notice {
        ordered, ordered_from_backup, start, stop, restart, reinstall, firewall, snapshot, backup, snapshot_restore, backup_restore,
        snapshot_delete, backup_delete, schedule, schedule_removed, forwards, ssh_keys;

        static Notice of(String name) {
            return name == null ? null : Arrays.stream(values()).filter(n -> n.name().equals(name.replace('-', '_'))).findFirst().orElse(null);
        }
    }

    /** The usage export as a download, for the signed-in browser (the API takes bearer tokens only). */
    @GET
    @Path("usage.{format:csv|json|focus}")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    public Response usageDownload(@PathParam("format") String format, @QueryParam("from") String from, @QueryParam("to") String to) {
        java.time.LocalDate first = java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
        java.time.LocalDate start = java.util.Optional.ofNullable(QueryParams.date("from", from)).orElse(first);
        java.time.LocalDate end = java.util.Optional.ofNullable(QueryParams.date("to", to)).orElse(start.plusMonths(1));
        return BillingResource.download(billing, billing.plan(format, start, end, null, "day"));
    }

    /** The server's chart over a window (24h, 7d, 30d), for charts.js on its page. */
    @GET
    @Path("servers/{id}/chart")
    @Produces(MediaType.APPLICATION_JSON)
    public Chart chart(@PathParam("id") long id, @QueryParam("window") String window) {
        ServerView view = ServerView.of(servers.get(id));
        Instant now = Instant.now();
        return Chart.ofServer(usage.hours(id, Window.parse("window", window, Window.DAY).from(now), now), view.limits());
    }

    /** The observed state alone, polled by the pages to stay live. */
    @GET
    @Path("servers/{id}/state")
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.Map<String, String> state(@PathParam("id") long id) {
        return java.util.Map.of("observedState", servers.get(id).observedState.name());
    }

    /** The server's console log after an offset (absent: its last lines), polled by its page to follow it. */
    @GET
    @Path("servers/{id}/console-log")
    @Produces(MediaType.APPLICATION_JSON)
    public ConsoleLogView consoleLog(@PathParam("id") long id, @QueryParam("after") String after) {
        return consoleLogs.read(id, after);
    }

    @POST
    @Path("servers/{id}/{action:start|stop|restart|reinstall|destroy}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@PathParam("id") long id, @PathParam("action") String action) {
        try {
            servers.act(id, Operation.Kind.valueOf(action), null);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            return Redirects.withError("/servers/" + id, language.refusal(e));
        }
        return Redirects.to(action.equals("destroy") ? "/servers" : "/servers/" + id + "?notice=" + action);
    }

    private Viewer viewer() {
        return Viewer.of(user);
    }

    private List<TenantView> tenantChoices() {
        return user.isAdmin() ? tenants.all() : List.of();
    }

    private Allowance allowance() {
        if (user.isAdmin()) {
            return null;
        }
        Tenant t = tenants.mine();
        return new Allowance(t.plan.name, t.plan.allowedInAll().leftAfter(allocations.ofTenant(t.id)), t.plan.perServer());
    }
}
