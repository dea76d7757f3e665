package io.corral.panel.ui;

import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateExtension.TemplateAttribute;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dates, times, numbers and money as the page's language writes them ({t.when}, {d.day}, {n.number}, {x.decimals(2)},
 * {price.money(currency)}, {weekday.fullName}, {at.ago}): 2026年11月29日 in Japanese, November 29, 2026 in English, and
 * times in the user's zone (Language sets the page's locale and zone).
 */
@TemplateExtension
final class LocalFormats {
    private LocalFormats() {
    }

    /** The formatters of days and moments by language: made once, as a list of fifty rows would make them fifty times. */
    private static final Map<Locale, DateTimeFormatter> DAYS = new ConcurrentHashMap<>(), MOMENTS = new ConcurrentHashMap<>();

    /** A day. */
    static String day(LocalDate date, @TemplateAttribute("locale") Object locale) {
        return DAYS.computeIfAbsent((Locale) locale, l -> DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(l)).format(date);
    }

    /** The day of a moment, in the user's zone. */
    static String day(OffsetDateTime at, @TemplateAttribute("locale") Object locale, @TemplateAttribute("zone") Object zone) {
        return day(at.atZoneSameInstant((ZoneId) zone).toLocalDate(), locale);
    }

    /** A moment in the user's zone, to the second, naming the zone. */
    static String when(OffsetDateTime at, @TemplateAttribute("locale") Object locale, @TemplateAttribute("zone") Object zone) {
        return MOMENTS.computeIfAbsent((Locale) locale, l -> DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.LONG)
                .withLocale(l)).format(at.atZoneSameInstant((ZoneId) zone));
    }

    static String number(long n, @TemplateAttribute("locale") Object locale) {
        return NumberFormat.getIntegerInstance((Locale) locale).format(n);
    }

    /** Qute matches an extension by the exact type: an int is not taken as a long. */
    static String number(int n, @TemplateAttribute("locale") Object locale) {
        return number((long) n, locale);
    }

    /** A measure to so many decimals ({hours.decimals(3)}: 1,234.568), rounding half up. */
    static String decimals(double x, int digits, @TemplateAttribute("locale") Object locale) {
        return fixed(x, digits, locale);
    }

    /** To a tenth, or whole when it is (12.4, 1,024), rounding half up: as the usage API's traffic summary writes GiB. */
    static String tenths(BigDecimal n, @TemplateAttribute("locale") Object locale) {
        return fixed(n, n.stripTrailingZeros().scale() <= 0 ? 0 : 1, locale);
    }

    private static String fixed(Number n, int decimals, Object locale) {
        NumberFormat f = NumberFormat.getNumberInstance((Locale) locale);
        f.setMinimumFractionDigits(decimals);
        f.setMaximumFractionDigits(decimals);
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(n);
    }

    /** A weekday's name (Wednesday, 水曜日). */
    static String fullName(DayOfWeek day, @TemplateAttribute("locale") Object locale) {
        return day.getDisplayName(TextStyle.FULL, (Locale) locale);
    }

    /** How long ago a moment was: just now, 40 s ago, 3 min ago. */
    static String ago(Instant since, @TemplateAttribute("locale") Object locale) {
        AdminMessages msg = Language.messages(AdminMessages.class, (Locale) locale);
        long seconds = Duration.between(since, Instant.now()).toSeconds();
        return seconds < 1 ? msg.consolidation_just_now() : seconds < 120 ? msg.consolidation_seconds_ago(number(seconds, locale))
                : msg.consolidation_minutes_ago(number(seconds / 60, locale));
    }

    /** A limit where 0 means none (a plan's bandwidth and disk IO): the number, or unlimited. */
    static String limit(int n, @TemplateAttribute("locale") Object locale) {
        return n == 0 ? Language.messages(AdminMessages.class, (Locale) locale).plans_unlimited() : number(n, locale);
    }

    /**
     * An amount in its own currency (a plan's prices keep theirs: ¥500, $0.0125), with the currency's usual decimals
     * and any finer ones the price has.
     */
    static String money(BigDecimal amount, String currency, @TemplateAttribute("locale") Object locale) {
        Currency c;
        try {
            c = Currency.getInstance(currency);
        } catch (IllegalArgumentException notIso4217) { // a plan may name a code the JDK does not know
            return NumberFormat.getNumberInstance((Locale) locale).format(amount) + " " + currency;
        }
        NumberFormat f = NumberFormat.getCurrencyInstance((Locale) locale);
        f.setCurrency(c);
        int decimals = Math.max(c.getDefaultFractionDigits(), amount.stripTrailingZeros().scale());
        f.setMinimumFractionDigits(c.getDefaultFractionDigits());
        f.setMaximumFractionDigits(decimals);
        return f.format(amount);
    }
}
