package io.corral.panel.ui;

import io.corral.panel.common.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a page of a long list is, for the links under it: "51–100 of 100,000", and the addresses of the pages before and
 * after with the same search and page size (null where there is none).
 */
public record Pager(long first, long last, long total, String previous, String next) {
    /** search: the list's other query parameters, by name (null values left out). */
    public static Pager of(Page<?> page, String path, Map<String, String> search) {
        long first = (long) page.page() * page.size() + 1;
        long last = first + page.items().size() - 1;
        String previous = page.page() > 0 ? link(path, search, page.page() - 1, page.size()) : null;
        String next = last < page.total() ? link(path, search, page.page() + 1, page.size()) : null;
        return new Pager(page.items().isEmpty() ? 0 : first, last, page.total(), previous, next);
    }

    private static String link(String path, Map<String, String> search, int page, int size) {
        Map<String, String> query = new LinkedHashMap<>();
        search.forEach((name, value) -> {
            if (value != null) {
                query.put(name, value);
            }
        });
        query.put("page", Integer.toString(page));
        query.put("size", Integer.toString(size));
        return path + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
