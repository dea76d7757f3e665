package io.corral.panel.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/** Values of native query rows, whichever Java type the driver chose for them; SQL null as zero. */
public final class SqlValues {
    private SqlValues() {
    }

    public static double toDouble(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    public static long toLong(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    public static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return (Instant) o;
    }

    public static OffsetDateTime utc(Object o) {
        return instant(o).atOffset(ZoneOffset.UTC);
    }

    /**
     * Ids as one PostgreSQL bigint[] parameter (cast(? as bigint[]) in the statement), bound as an array: one statement
     * whatever their number, where an IN list of as many parameters is planned anew for each length. Not as the array's
     * text: its cast is array_in, which PostgreSQL does not fold (it is stable, not immutable), so a sequential scan
     * parsed the whole array again for each row it read (1.3-1.6 s for 5,000 hosts' allocations against 20-23 ms bound as
     * an array: bench/allocations.sh).
     */
    public static Long[] bigintArray(Collection<Long> ids) {
        return ids.toArray(Long[]::new);
    }
}
