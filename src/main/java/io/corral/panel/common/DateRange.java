package io.corral.panel.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The dates the panel takes from its callers: from 1970 to the end of 9999. Java reads years in the
 * millions and PostgreSQL stores some of them, but no bill or chart needs them, and the times computed
 * from them (a month on, a day's end) must still fit.
 */
public final class DateRange {
    static final LocalDate FIRST = LocalDate.of(1970, 1, 1), LAST = LocalDate.of(9999, 12, 31);

    private DateRange() {
    }

    public static LocalDate check(String field, LocalDate date) {
        if (date.isBefore(FIRST) || date.isAfter(LAST)) {
            throw DomainException.invalid(field, r -> r.date_out_of_range(field, FIRST.toString(), LAST.toString()));
        }
        return date;
    }

    public static Instant check(String field, Instant instant) {
        check(field, LocalDate.ofInstant(instant, ZoneOffset.UTC));
        return instant;
    }
}
