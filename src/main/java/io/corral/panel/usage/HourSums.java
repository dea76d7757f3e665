package io.corral.panel.usage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * What a transaction's samples add to ledger hours, summed per hour in memory: each hour is then
 * written once per transaction, not once per sample (a transaction of a minute of rounds writes a
 * sixth of the rows it would).
 */
final class HourSums<K, U> {
    record Sum<U>(U use, int samples) {
    }

    private final Map<K, Sum<U>> sums = new LinkedHashMap<>();
    private final BinaryOperator<U> plus;

    HourSums(BinaryOperator<U> plus) {
        this.plus = plus;
    }

    void add(K hour, U use) {
        sums.merge(hour, new Sum<>(use, 1), (a, b) -> new Sum<>(plus.apply(a.use(), b.use()), a.samples() + b.samples()));
    }

    Map<K, Sum<U>> sums() {
        return sums;
    }
}
