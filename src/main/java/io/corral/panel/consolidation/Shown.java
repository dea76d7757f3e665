package io.corral.panel.consolidation;

import java.time.Duration;
import java.time.Instant;

/**
 * What a page shows of a result made in the background ({@link InBackground}): value, made from the fleet as it was at
 * since; or, while beingMade, the one before it (from since) or none (null: being made since then).
 */
public record Shown<V>(V value, Instant since, boolean beingMade) {
    /** How long ago since was, as the page says it: "just now", "40 s ago", "3 min ago". */
    public String age() {
        long seconds = Duration.between(since, Instant.now()).toSeconds();
        return seconds < 1 ? "just now" : seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
    }
}
