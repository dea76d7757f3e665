package io.corral.panel.common;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import java.util.List;
import java.util.function.Function;

/** One page of a list: its items, the page asked for, and how many there are in all. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 200;

    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> view) {
        List<T> items = query.page(request.page(), request.size()).list().stream().map(view).toList();
        return new Page<>(items, request.page(), request.size(), query.count());
    }
}
