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
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

@ApplicationScoped
@Transactional
public class HeartbeatSteps {
    private static final Logger LOG = Logger.getLogger(HeartbeatSteps.class);
    /** Who the heartbeat's audit entries and operations name. */
    static final String ACTOR = "heartbeat";

    @Inject
    HeartbeatConfig config;
    @Inject
    Audit audit;
    @Inject
    StrayCopies strays;

    /**
     * What an answer leaves to be done: the servers whose copies on the host are to be removed now ({@link StrayCopies#on}),
     * and those its agent holds to limits other than the panel's ({@link LimitsRepair}), compared at the beats that read
     * the host's facts (once a minute) only: at every beat, the batch of {@link UnchangedBeats} would read each server's
     * tenant and plan too, about 2.7 ms more a batch of 100 hosts (bench/RESULTS.md, "Scale").
     */
    public record Answered(List<Long> strayCopies, List<Long> limitsDiffer) {
    }

    /**
     * Takes an answer that changes something, or carries the host's facts (null when not asked for this time: the host's stay
     * as they are), or that {@link UnchangedBeats} passed over; what it leaves to be done is read in the same transaction.
     */
    public Answered answered(long hostId, HostFacts facts, Map<String, ServerState> byId) {
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
        List<Long> limitsDiffer = new ArrayList<>();
        for (VirtualServer v : servers) {
            ServerState s = byId.get(v.agentId());
            // the tenant and its plan are loaded with the server (eager), once each per beat
            if (facts != null && !LimitsRepair.asRecorded(s, v.limits(), v.tenant.plan.rates())) {
                limitsDiffer.add(v.id);
            }
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
        return new Answered(strays.on(Set.of(hostId)).get(hostId), limitsDiffer);
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

    private static boolean drift(VirtualServer v) {
        return (v.desiredState == VirtualServer.Desired.running && v.observedState != VirtualServer.Observed.running)
                || (v.desiredState == VirtualServer.Desired.stopped && v.observedState == VirtualServer.Observed.running);
    }
}
