package io.corral.agent.backup;

import io.corral.agent.AgentException;
import java.util.regex.Pattern;

/** Snapshot and backup ids, chosen by the panel: they name files, so no dots or slashes. */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,40}");

    private Ids() {
    }

    public static String check(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw AgentException.invalid(field, "must be 1 to 40 of a-z, 0-9 and '-'");
        }
        return id;
    }
}
