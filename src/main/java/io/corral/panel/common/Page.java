package io.corral.panel.common;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.function.Function;

/** One page of a list: its items, the page asked for, and how many there are in all. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 200;

    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> view) {
        List<T> items = request.reachable()
                ? query.range((int) request.offset(), (int) request.offset() + request.size() - 1).list().stream().map(view).toList()
                : List.of();
        return new Page<>(items, request.page(), request.size(), query.count());
    }

    /** A page of a JPA query's rows, and the count of all of them. */
    public static <T> Page<T> of(TypedQuery<T> query, PageRequest request, long total) {
        List<T> items = request.reachable()
                ? query.setFirstResult((int) request.offset()).setMaxResults(request.size()).getResultList()
                : List.of();
        return new Page<>(items, request.page(), request.size(), total);
    }
}
