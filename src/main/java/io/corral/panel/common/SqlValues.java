package io.corral.panel.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
}
