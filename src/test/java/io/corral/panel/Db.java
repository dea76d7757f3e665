package io.corral.panel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A number the tests read straight from the database. */
final class Db {
    private Db() {
    }

    /** The first column of the first row of the query, as a long. */
    static long number(DataSource db, String sql) {
        try (Connection c = db.getConnection(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
