package io.corral.agent.cli;

import io.corral.agent.lifecycle.SnapshotsAndBackups;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** corral-agent backup take|list|restore|delete: the API's backup calls, answers as JSON. */
@Command(name = "backup", description = "Back up a server to the backup store (--backup-dir), list, restore or delete backups.",
        subcommands = {BackupCommand.Take.class, BackupCommand.ListBackups.class, BackupCommand.Restore.class, BackupCommand.Delete.class})
final class BackupCommand {
    @CommandLine.ParentCommand Main main;

    SnapshotsAndBackups copies() {
        return main.agent().snapshotsAndBackups();
    }

    abstract static class OnBackup implements Callable<Integer> {
        @CommandLine.ParentCommand BackupCommand parent;
        @Parameters(index = "0", paramLabel = "ID", description = "The server's id.") String id;
        @Parameters(index = "1", paramLabel = "BACKUP", description = "The backup's id: 1-40 of a-z, 0-9, '-'.") String backup;
    }

    @Command(name = "take", description = "Back up the server's disk (a running one is frozen for a local copy only).")
    static final class Take extends OnBackup {
        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().backup(id, backup).value());
            return 0;
        }
    }

    @Command(name = "list", description = "The server's backups in the store, oldest first (also of a destroyed server).")
    static final class ListBackups implements Callable<Integer> {
        @CommandLine.ParentCommand BackupCommand parent;
        @Parameters(paramLabel = "ID", description = "The server's id.") String id;

        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().backups(id));
            return 0;
        }
    }

    @Command(name = "restore", description = "Restore a backup into the server: of this server, or with --from of another.")
    static final class Restore extends OnBackup {
        @Option(names = "--from", paramLabel = "SERVER", description = "The server the backup is of (default: ID).") String from;

        @Override
        public Integer call() throws Exception {
            Main.print(parent.copies().restoreBackup(id, from != null ? from : id, backup));
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete the backup and the chunks no other backup of the server uses.")
    static final class Delete extends OnBackup {
        @Override
        public Integer call() {
            parent.copies().deleteBackup(id, backup);
            return 0;
        }
    }
}
