package io.corral.agent.cli;

import io.corral.agent.lifecycle.SnapshotsAndBackups;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** corral-agent snapshot take|list|restore|delete: the API's snapshot calls, answers as JSON. */
@Command(name = "snapshot", description = "Take, list, restore or delete a server's snapshots.",
        subcommands = {SnapshotCommand.Take.class, SnapshotCommand.ListSnapshots.class, SnapshotCommand.Restore.class,
                SnapshotCommand.Delete.class})
final class SnapshotCommand {
    @CommandLine.ParentCommand Main main;

    SnapshotsAndBackups copies() {
        return main.agent().snapshotsAndBackups();
    }

    abstract static class OnSnapshot implements Callable<Integer> {
        @CommandLine.ParentCommand SnapshotCommand parent;
        @Parameters(index = "0", paramLabel = "ID", description = "The server's id.") String id;
        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "The snapshot's id: 1-40 of a-z, 0-9, '-'.") String snapshot;
    }

    @Command(name = "take", description = "Snapshot the server's disk (a running one is frozen for the copy).")
    static final class Take extends OnSnapshot {
        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().snapshot(id, snapshot).value());
            return 0;
        }
    }

    @Command(name = "list", description = "The server's snapshots, oldest first.")
    static final class ListSnapshots implements Callable<Integer> {
        @CommandLine.ParentCommand SnapshotCommand parent;
        @Parameters(paramLabel = "ID", description = "The server's id.") String id;

        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().listSnapshots(id));
            return 0;
        }
    }

    @Command(name = "restore", description = "The server back to the snapshot (stopped, swapped, started again if it ran).")
    static final class Restore extends OnSnapshot {
        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().restoreSnapshot(id, snapshot));
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete the snapshot.")
    static final class Delete extends OnSnapshot {
        @Override
        public Integer call() {
            parent.copies().deleteSnapshot(id, snapshot);
            return 0;
        }
    }
}
