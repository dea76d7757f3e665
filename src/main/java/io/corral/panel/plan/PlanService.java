package io.corral.panel.plan;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.limits.Rates;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
@Transactional
public class PlanService {
    @Inject
    Audit audit;
    @Inject
    Event<RatesChanged> ratesChanged;

    public Optional<Plan> find(long id) {
        return Plan.findByIdOptional(id);
    }

    public Page<PlanView> list(PageRequest page) {
        return Page.of(byName(), page, PlanView::of);
    }

    public List<PlanView> all() {
        return byName().list().stream().map(PlanView::of).toList();
    }

    private static PanacheQuery<Plan> byName() {
        return Plan.findAll(Sort.by("name"));
    }

    public Plan create(PlanRequest r) {
        if (Plan.findByName(r.name()).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "name", words -> words.plan_name_taken(r.name()));
        }
        Plan p = new Plan();
        p.createdAt = OffsetDateTime.now();
        apply(p, r);
        p.persist();
        audit.record("plan.create", "plan/" + p.id, p.name);
        return p;
    }

    public Plan update(long id, PlanRequest r) {
        Plan p = find(id).orElseThrow(() -> DomainException.notFound(words -> words.plan_not_found(id)));
        Plan.findByName(r.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw new DomainException(DomainException.Kind.CONFLICT, "name", words -> words.plan_name_taken(r.name()));
        });
        Rates before = p.rates();
        apply(p, r);
        if (!p.rates().equals(before)) {
            ratesChanged.fire(new RatesChanged(p.id, null));
        }
        audit.record("plan.update", "plan/" + p.id, p.name);
        return p;
    }

    private static void apply(Plan p, PlanRequest r) {
        p.name = r.name();
        p.maxServers = r.maxServers();
        p.maxMemoryMib = r.maxMemoryMiB();
        p.maxSwapMib = r.maxSwapMiB();
        p.maxCpus = r.maxCpus();
        p.maxCpuWeight = r.maxCpuWeight();
        p.maxPids = r.maxPids();
        p.maxDiskMib = r.maxDiskMiB();
        p.serverMaxMemoryMib = r.serverMaxMemoryMiB();
        p.serverMaxSwapMib = r.serverMaxSwapMiB();
        p.serverMaxCpus = r.serverMaxCpus();
        p.serverMaxCpuWeight = r.serverMaxCpuWeight();
        p.serverMaxPids = r.serverMaxPids();
        p.serverMaxDiskMib = r.serverMaxDiskMiB();
        p.serverNetworkInMbit = orZero(r.serverNetworkInMbit());
        p.serverNetworkOutMbit = orZero(r.serverNetworkOutMbit());
        p.serverDiskMibps = orZero(r.serverDiskMiBps());
        p.serverDiskIops = orZero(r.serverDiskIops());
        p.serverPortForwards = r.serverPortForwards() == null ? Plan.DEFAULT_PORT_FORWARDS : r.serverPortForwards();
        p.serverMaxSnapshots = r.serverMaxSnapshots() == null ? Plan.DEFAULT_SNAPSHOTS : r.serverMaxSnapshots();
        p.maxSnapshotGib = r.maxSnapshotGiB() == null ? Plan.DEFAULT_SNAPSHOT_GIB : r.maxSnapshotGiB();
        p.serverMaxBackups = r.serverMaxBackups() == null ? Plan.DEFAULT_BACKUPS : r.serverMaxBackups();
        p.priceServerMonth = orZero(r.priceServerMonth());
        p.priceMemoryGibMonth = orZero(r.priceMemoryGiBMonth());
        p.priceCpuMonth = orZero(r.priceCpuMonth());
        p.priceDiskGibMonth = orZero(r.priceDiskGiBMonth());
        p.serverIncludedTrafficGib = r.serverIncludedTrafficGiB();
        p.priceTrafficOverageGib = orZero(r.priceTrafficOverageGiB());
        p.priceSnapshotGibMonth = orZero(r.priceSnapshotGiBMonth());
        p.priceBackupGibMonth = orZero(r.priceBackupGiBMonth());
        p.currency = r.currency() == null ? "EUR" : r.currency();
        p.network = r.network() == null ? "private" : r.network();
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
