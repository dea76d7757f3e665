package io.corral.panel.common;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** One page of a list: its items, the page asked for, and how many there are in all. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 200;

    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> view) {
        List<E> rows = request.reachable()
                ? query.range((int) request.offset(), (int) request.offset() + request.size()).list() : List.of();
        return of(rows, request, query::count).map(view);
    }

    /** A page of rows(offset, how many) read; count is asked only when the page cannot tell how many there are. */
    public static <T> Page<T> of(PageRequest request, BiFunction<Long, Integer, List<T>> rows, LongSupplier count) {
        return of(request.reachable() ? rows.apply(request.offset(), request.size() + 1) : List.<T>of(), request, count);
    }

    /** A page cut from a short list held whole in memory. */
    public static <T> Page<T> of(List<T> all, PageRequest request) {
        int from = (int) Math.min(request.offset(), all.size());
        List<T> rows = all.subList(from, (int) Math.min((long) from + request.size() + 1, all.size()));
        return of(rows, request, () -> all.size());
    }

    /**
     * rows: up to one more than the page holds. A page that is not full, and is not past the end, ends
     * the list, so the total is known without counting: for most tenants the one query is all a list costs.
     */
    private static <T> Page<T> of(List<T> rows, PageRequest request, LongSupplier count) {
        boolean endsHere = rows.size() <= request.size() && (!rows.isEmpty() || request.offset() == 0);
        long total = endsHere ? request.offset() + rows.size() : count.getAsLong();
        return new Page<>(rows.subList(0, Math.min(rows.size(), request.size())), request.page(), request.size(), total);
    }

    /** The same page with each item seen through view. */
    public <V> Page<V> map(Function<T, V> view) {
        return new Page<>(items.stream().map(view).toList(), page, size, total);
    }
}
