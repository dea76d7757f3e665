package io.corral.panel.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A server's traffic in a calendar month (UTC) against what its plan includes: the figures, which the server's page words in its
 * language, and the same in English words for the API (summary).
 */
public record TrafficMonth(
        @Schema(description = "the month, e.g. 2026-11") String month,
        @Schema(description = "what the server sent in the month (so far, in this one), GiB (only what it sends counts)") BigDecimal sentGiB,
        @Schema(description = "its plan's allowance for the month, pro rata when the server exists for part of it, GiB; null: unmetered")
        BigDecimal includedGiB,
        @Schema(description = "its plan's allowance for a whole month, GiB; null: unmetered") Long perMonthGiB,
        @Schema(description = "what it sent beyond the allowance, GiB") BigDecimal overageGiB,
        @Schema(description = "the overage's cost so far, in the plan's currency") BigDecimal overageCost,
        String currency,
        @Schema(description = "the same in English words, e.g. \"12.4 GiB of 1,024 GiB included this month\"")
        String summary) {

    /** current: the month now, said as "this month"; perMonth: the plan's allowance for a whole month, said beside a pro rata one. */
    static TrafficMonth of(YearMonth month, YearMonth current, BigDecimal sent, BigDecimal included, Long perMonth, BigDecimal overage,
                           BigDecimal cost, String currency) {
        String when = month.equals(current) ? "this month" : "in " + month;
        String summary = included == null ? gib(sent) + " sent " + when + "; traffic is unmetered"
                : gib(sent) + " of " + gib(included) + " included " + when
                        + (proRata(included, perMonth) ? " (pro rata of " + gib(BigDecimal.valueOf(perMonth)) + ")" : "")
                        + (overage.signum() > 0 ? "; " + gib(overage) + " beyond it: " + cost.setScale(2, java.math.RoundingMode.HALF_UP)
                        .toPlainString() + " " + currency : "");
        return new TrafficMonth(month.toString(), sent, included, perMonth, overage, cost, currency, summary);
    }

    /** Whether the allowance is a part of the plan's for a month, the server having existed for part of it. */
    public boolean proRata() {
        return proRata(includedGiB, perMonthGiB);
    }

    private static boolean proRata(BigDecimal included, Long perMonth) {
        return included != null && included.compareTo(BigDecimal.valueOf(perMonth)) != 0;
    }

    /** 12.4 GiB, 1,024 GiB: one decimal unless whole, thousands grouped. */
    private static String gib(BigDecimal v) {
        boolean whole = v.stripTrailingZeros().scale() <= 0;
        return String.format(Locale.ROOT, whole ? "%,.0f GiB" : "%,.1f GiB", v);
    }
}
