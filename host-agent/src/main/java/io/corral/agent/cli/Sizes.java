package io.corral.agent.cli;

import io.corral.agent.AgentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as admins type them: 512 or 512M (MiB), 1G, 1.5G, 1T. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([MmGgTt]?)(?:i?[Bb])?");

    private Sizes() {
    }

    static Long mib(String field, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw AgentException.invalid(field, "'" + text + "' is not a size; use e.g. 512M, 1G or 1.5G");
        }
        double n = Double.parseDouble(m.group(1));
        double factor = switch (m.group(2).toUpperCase()) {
            case "G" -> 1024;
            case "T" -> 1024 * 1024;
            default -> 1;
        };
        return Math.round(n * factor);
    }
}
