package io.corral.panel.common;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Query parameters read from their text, refused with the parameter named and its rule when they do
 * not parse or fall outside what they may be. (Typed JAX-RS parameters would answer 404 for a value
 * that does not convert, and could not say which parameter was at fault.)
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** A whole number between min and max, or the fallback when absent. */
    public static long whole(String field, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Function<Refusals, String> rule = r -> r.query_whole(field, min, max);
        long n = parse(field, value, Long::parseLong, rule);
        if (n < min || n > max) {
            throw DomainException.invalid(field, rule);
        }
        return n;
    }

    /** An object's id, or null when absent. */
    public static Long id(String field, String value) {
        return value == null || value.isBlank() ? null : whole(field, value, 0, 1, Long.MAX_VALUE);
    }

    /** One line ({@link Text#LINE}) of at most max characters, trimmed, or null when absent or blank. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (!trimmed.matches(Text.LINE)) {
            throw DomainException.invalid(field, r -> r.query_one_line(field));
        }
        if (trimmed.length() > max) {
            throw DomainException.invalid(field, r -> r.query_too_long(field, max));
        }
        return trimmed;
    }

    /** A like pattern for text containing part, its wildcards and the escape character (a backslash) taken literally. */
    public static String containing(String part) {
        return "%" + part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** One of the enum's values by its name, or null when absent. */
    public static <E extends Enum<E>> E oneOf(String field, String value, Class<E> values) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E e : values.getEnumConstants()) {
            if (e.name().equals(value.strip())) {
                return e;
            }
        }
        String names = Arrays.stream(values.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw DomainException.invalid(field, r -> r.query_one_of(field, names));
    }

    /** A decimal number (no NaN or infinity), or null when absent; its range is the caller's to check. */
    public static Double number(String field, String value) {
        return parse(field, value, v -> new BigDecimal(v).doubleValue(), r -> r.query_number(field));
    }

    /** A date such as 2026-11-01 within {@link DateRange}, or null when absent. */
    public static LocalDate date(String field, String value) {
        LocalDate d = parse(field, value, LocalDate::parse, r -> r.query_date(field));
        return d == null ? null : DateRange.check(field, d);
    }

    /** A month such as 2026-11 (its first day within {@link DateRange}), or the fallback when absent. */
    public static YearMonth month(String field, String value, YearMonth fallback) {
        YearMonth parsed = parse(field, value, YearMonth::parse, r -> r.query_month(field));
        return parsed == null ? fallback : YearMonth.from(DateRange.check(field, parsed.atDay(1)));
    }

    /** An instant such as 2026-11-01T00:00:00Z within {@link DateRange}, or the fallback when absent. */
    public static Instant instant(String field, String value, Instant fallback) {
        Instant parsed = parse(field, value, Instant::parse, r -> r.query_instant(field));
        return parsed == null ? fallback : DateRange.check(field, parsed);
    }

    /** rule: the refusal of a value that does not parse, naming the field. */
    private static <T> T parse(String field, String value, Function<String, T> parser, Function<Refusals, String> rule) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parser.apply(value.trim());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw DomainException.invalid(field, rule);
        }
    }
}
