package io.corral.panel.server;

import io.corral.panel.common.DomainException;
import io.corral.panel.host.Host;
import io.corral.panel.network.Addresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * A server put on another host at once, its own host being down (an evacuation): the new host chosen as placement
 * chooses (up, not draining, with its template, room under the overcommit ratios, best fit), among the hosts given and
 * those on every network the server has addresses of; its port forwards must be free there. The server keeps its id,
 * addresses and forwards; its row names the new host, where it is to be made anew.
 */
@ApplicationScoped
public class Relocation {
    @Inject
    Allocations allocations;
    @Inject
    Addresses addresses;
    @Inject
    Event<ArrivingOnHost> arriving;
    @Inject
    EntityManager em;
    @Inject
    io.corral.panel.host.StrayCopies strays;

    @Transactional(Transactional.TxType.MANDATORY)
    public Host relocate(long serverId, Set<Long> onlyOn) {
        VirtualServer v = em.find(VirtualServer.class, serverId, LockModeType.PESSIMISTIC_WRITE);
        Host to = Placement.chooseAmong(allocations, v.template, v.limits(), candidates -> addresses.onItsNetworks(v.id,
                candidates.stream().filter(onlyOn::contains).collect(java.util.stream.Collectors.toSet())));
        if (to == null) {
            throw new DomainException(DomainException.Kind.NO_CAPACITY, null, r -> r.relocation_no_host(v.template, v.memoryMib,
                    v.cpus.stripTrailingZeros().toPlainString(), v.diskMib));
        }
        strays.removed(v.id, to.id); // a copy it left there before is its own again (its ports too), made anew
        arriving.fire(new ArrivingOnHost(v.id, to.id, to.name));
        v.host = to;
        v.observedState = VirtualServer.Observed.creating;
        v.updatedAt = OffsetDateTime.now();
        return to;
    }
}
