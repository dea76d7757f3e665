package io.corral.panel.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** Query parameters that are dates or instants, refused with the parameter named when they do not parse. */
public final class QueryParams {
    private QueryParams() {
    }

    /** A date such as 2026-11-01, or null when absent. */
    public static LocalDate date(String field, String value) {
        return parse(field, value, LocalDate::parse, "a date such as 2026-11-01");
    }

    /** An instant such as 2026-11-01T00:00:00Z, or the fallback when absent. */
    public static Instant instant(String field, String value, Instant fallback) {
        Instant parsed = parse(field, value, Instant::parse, "an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        return parsed == null ? fallback : parsed;
    }

    private static <T> T parse(String field, String value, Function<String, T> parser, String rule) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "must be " + rule);
        }
    }
}
