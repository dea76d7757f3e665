package io.corral.panel.heartbeat;

import io.corral.panel.agent.HostFacts;
import io.corral.panel.agent.ServerState;
import io.corral.panel.audit.Audit;
import io.corral.panel.host.Host;
import io.corral.panel.host.HostService;
import io.corral.panel.host.StrayCopies;
import io.corral.panel.server.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

@ApplicationScoped
@Transactional
public class HeartbeatSteps {
    private static final Logger LOG = Logger.getLogger(HeartbeatSteps.class);
    private static final String ACTOR = "heartbeat";

    @Inject
    HeartbeatConfig config;
    @Inject
    Audit audit;
    @Inject
    StrayCopies strays;

    @Inject
    EntityManager em;

    /**
     * facts: null when not asked for this time (the host's stay as they are). Returns the servers whose copies on the host are
     * to be removed now ({@link StrayCopies#on}), read in the same transaction: one transaction a beat, not two.
     */
    public List<Long> answered(long hostId, HostFacts facts, List<ServerState> reported) {
        record(hostId, facts, byId(reported));
        return strays.on(hostId);
    }

    private void record(long hostId, HostFacts facts, Map<String, ServerState> byId) {
        if (facts == null && heardAsItWas(hostId, byId)) {
            return;
        }
        // row-locked before its servers are read: an evacuation, which locks it first too, changes where they are
        Host h = Host.findById(hostId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        boolean wasDown = h.status == Host.Status.down;
        if (facts == null) {
            HostService.heard(h);
        } else {
            HostService.applyFacts(h, facts);
        }
        if (wasDown) {
            audit.recordAs(ACTOR, "host.up", "host/" + h.name, "answering again");
        }
        List<VirtualServer> servers = VirtualServer.list("host.id = ?1 and desiredState <> ?2 and observedState <> ?3",
                hostId, VirtualServer.Desired.destroyed, VirtualServer.Observed.creating);
        for (VirtualServer v : servers) {
            ServerState s = byId.get(v.agentId());
            if (s != null) {
                v.ownUserNamespace = s.ownUserNamespace();
            }
            VirtualServer.Observed observed = s == null ? VirtualServer.Observed.unknown : VirtualServer.Observed.reported(s.state());
            if (observed != v.observedState) {
                v.observe(observed);
                if (drift(v)) {
                    LOG.warnf("server %d on %s should be %s but is %s", v.id, h.name, v.desiredState, observed);
                    audit.recordAs(ACTOR, "server.drift", "server/" + v.id, "desired " + v.desiredState + ", observed " + observed);
                }
            }
        }
    }

    /**
     * Most beats change nothing: the host was not down and its servers are as the agent reports them. Then one statement marks
     * the host heard and reads its servers, where reading them as entities took several (the host locked, its servers, their
     * tenants and plans): at 5,000 hosts a beat every 10 s, the database's time is what runs short (bench/RESULTS.md,
     * "Scale"). False when anything is to change (the host was down, or a server is not as reported): the whole answer
     * is then taken, in the same transaction.
     */
    private boolean heardAsItWas(long hostId, Map<String, ServerState> byId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                with heard as (update host set last_heartbeat = ?2, heartbeat_error = null where id = ?1 and status <> 'down' returning id)
                select heard.id, v.id, v.observed_state, v.own_user_namespace from heard
                left join virtual_server v on v.host_id = heard.id and v.desired_state <> 'destroyed' and v.observed_state <> 'creating'""",
                Object[].class).setParameter(1, hostId).setParameter(2, OffsetDateTime.now()).getResultList();
        if (rows.isEmpty()) {
            return false; // down until now: the whole answer is taken
        }
        for (Object[] r : rows) {
            if (r[1] == null) {
                continue; // the host holds no servers
            }
            ServerState s = byId.get(r[1].toString());
            String observed = (s == null ? VirtualServer.Observed.unknown : VirtualServer.Observed.reported(s.state())).name();
            if (!observed.equals(r[2]) || s != null && !Boolean.valueOf(s.ownUserNamespace()).equals(r[3])) {
                return false;
            }
        }
        return true;
    }

    /** Pins the certificate a host registered before agents spoke TLS presents at its first heartbeat since. */
    public String pinPresented(long hostId, String fingerprint) {
        Host h = Host.findById(hostId);
        h.tlsFingerprint = fingerprint;
        h.tlsFingerprintTaken = true;
        audit.recordAs(ACTOR, "host.pin", "host/" + h.name, HostService.takenPin(fingerprint, "the host was registered before agents spoke TLS"));
        return fingerprint;
    }

    /**
     * why: what the call failed with, shown with the host. Its facts are read whole when it answers again: its agent may
     * have restarted with other facts.
     */
    public void silent(long hostId, String why) {
        Host h = Host.findById(hostId);
        h.heartbeatError = why;
        h.factsTakenAt = null;
        OffsetDateTime cutoff = OffsetDateTime.now().minus(config.downAfter());
        if (h.status != Host.Status.down && (h.lastHeartbeat == null || h.lastHeartbeat.isBefore(cutoff))) {
            h.status = Host.Status.down;
            audit.recordAs(ACTOR, "host.down", "host/" + h.name, "no answer for " + config.downAfter().toSeconds() + " s");
            VirtualServer.update("observedState = ?1, updatedAt = ?2 where host.id = ?3 and desiredState <> ?4",
                    VirtualServer.Observed.unknown, OffsetDateTime.now(), hostId, VirtualServer.Desired.destroyed);
        }
    }

    /** The reported servers by id; a server reported twice (only an agent gone wrong does) counts as first reported. */
    private static Map<String, ServerState> byId(List<ServerState> reported) {
        return reported.stream().collect(Collectors.toMap(ServerState::id, Function.identity(), (first, again) -> first));
    }

    private static boolean drift(VirtualServer v) {
        return (v.desiredState == VirtualServer.Desired.running && v.observedState != VirtualServer.Observed.running)
                || (v.desiredState == VirtualServer.Desired.stopped && v.observedState == VirtualServer.Observed.running);
    }
}
