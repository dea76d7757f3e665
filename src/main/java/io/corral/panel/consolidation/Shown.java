package io.corral.panel.consolidation;

import java.time.Instant;

/**
 * What a page shows of a result made in the background ({@link InBackground}): value, made from the fleet as it was at
 * since; or, while beingMade, the one before it (from since) or none (null: being made since then).
 */
public record Shown<V>(V value, Instant since, boolean beingMade) {
}
