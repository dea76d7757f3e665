package io.corral.panel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A value the tests read straight from the database. */
final class Db {
    private Db() {
    }

    /** The first column of the first row of the query, as text. */
    static String text(DataSource db, String sql) {
        return first(db, sql, r -> r.getString(1));
    }

    /** The first column of the first row of the query, as a long. */
    static long number(DataSource db, String sql) {
        return first(db, sql, r -> r.getLong(1));
    }

    /** Runs the statement on a connection of its own, committed when it returns. */
    static void execute(DataSource db, String sql) {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private interface Column<T> {
        T read(ResultSet r) throws SQLException;
    }

    private static <T> T first(DataSource db, String sql, Column<T> column) {
        try (Connection c = db.getConnection(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return column.read(r);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
