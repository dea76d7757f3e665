package io.corral.panel.identity;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The first admin made at start-up when both are set (FirstAdmin). */
@ConfigMapping(prefix = "corral.first-admin")
public interface FirstAdminConfig {
    Optional<String> username();

    Optional<String> password();
}
