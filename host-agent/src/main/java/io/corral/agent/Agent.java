package io.corral.agent;

import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.containment.EnterHelper;
import io.corral.agent.containment.SeccompFilter;
import io.corral.agent.containment.UserNamespaces;
import io.corral.agent.backup.BackupStore;
import io.corral.agent.backup.DirectoryObjects;
import io.corral.agent.backup.StoreObjects;
import io.corral.agent.lifecycle.DiskCopies;
import io.corral.agent.lifecycle.Moves;
import io.corral.agent.lifecycle.ServerManager;
import io.corral.agent.lifecycle.SnapshotsAndBackups;
import io.corral.agent.metering.SampleSpool;
import io.corral.agent.metering.ServerMeter;
import io.corral.agent.network.HostNetwork;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.Spawn;
import io.corral.agent.sys.Processes;
import io.corral.agent.template.TemplateStore;
import java.nio.file.Path;
import java.time.Duration;

/** The agent's parts wired together, for the CLI and for the API server alike. */
public record Agent(StateDir state, TemplateStore templates, ServerManager servers, ServerMeter meter, SampleSpool samples,
                    SnapshotsAndBackups snapshotsAndBackups, Moves moves) {
    /** How long samples wait in the spool for the panel: the panel's raw-sample window. */
    public static final Duration SAMPLE_RETENTION = Duration.ofDays(7);

    /** userNamespaces: whether new servers should get a user namespace of their own (where the kernel allows). */
    public static Agent open(Path stateDir, Duration stopGrace, boolean userNamespaces) {
        return open(stateDir, stopGrace, userNamespaces, null);
    }

    /** backups: where the backup store keeps its objects (null: the directory backups/ in the state directory). */
    public static Agent open(Path stateDir, Duration stopGrace, boolean userNamespaces, StoreObjects backups) {
        Spawn.warmUp();
        Processes.becomeSubreaper();
        EnterHelper.program();
        SeccompFilter.hex();
        StateDir state = StateDir.of(stateDir);
        // Servers' files are theirs and root's: no other account of the host may enter (older agents left them open).
        FileTrees.createPrivateDirectories(state.servers());
        TemplateStore templates = new TemplateStore(state);
        SpecStore specs = new SpecStore(state);
        Cgroups cgroups = Cgroups.detect(state.cgroupParent());
        HostNetwork network = new HostNetwork(state.instance());
        ServerManager servers = new ServerManager(state, specs, cgroups, templates, stopGrace,
                UserNamespaces.detect(userNamespaces, state), network);
        BackupStore store = new BackupStore(backups != null ? backups : new DirectoryObjects(state.backups()));
        DiskCopies copies = new DiskCopies(servers, state);
        return new Agent(state, templates, servers, new ServerMeter(state, specs, cgroups, network),
                new SampleSpool(state.samples(), SAMPLE_RETENTION), new SnapshotsAndBackups(servers, copies, store),
                new Moves(servers, copies));
    }
}
