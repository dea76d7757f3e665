package io.corral.panel.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Rows read by plain JDBC on the session's own connection, for the pages read most: a list of 50 servers
 * spent as much of the panel's time in Hibernate's handling of a native query's rows as in the driver
 * (bench/RESULTS.md). Inside a transaction the session is flushed first, as Hibernate does before a
 * native query, so the rows include what this transaction changed.
 */
@ApplicationScoped
public class Rows {
    /** Turns the row the result set stands on into a value. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet row) throws SQLException;
    }

    @Inject
    EntityManager em;

    public <T> List<T> list(String sql, Reader<T> reader, Object... parameters) {
        Session session = em.unwrap(Session.class);
        if (session.isJoinedToTransaction()) {
            session.flush();
        }
        return session.doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                List<T> rows = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        rows.add(reader.read(row));
                    }
                }
                return rows;
            }
        });
    }
}
