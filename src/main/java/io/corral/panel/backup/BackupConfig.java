package io.corral.panel.backup;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "corral.backups")
public interface BackupConfig {
    /** How often due scheduled backups are queued and those past retention deleted; "off" stops it. Read by name by BackupScheduler's @Scheduled. */
    String every();
}
