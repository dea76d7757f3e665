package io.corral.panel.consolidation;

import io.corral.panel.common.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A span of time the statistics and charts look back over: the last 24 hours, 7 days or 30 days. */
public enum Window {
    DAY("24h", Duration.ofHours(24)), WEEK("7d", Duration.ofDays(7)), MONTH("30d", Duration.ofDays(30));

    public final String label;
    public final Duration length;

    Window(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    /** The window by its label; the given default when none is named. */
    public static Window parse(String field, String value, Window fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (Window w : values()) {
            if (w.label.equals(value)) {
                return w;
            }
        }
        String labels = Arrays.stream(values()).map(w -> w.label).collect(Collectors.joining(", "));
        throw DomainException.invalid(field, r -> r.query_one_of(field, labels));
    }

    /** The window's first hour: it ends with the current (partial) hour. */
    public Instant from(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).minus(length);
    }
}
