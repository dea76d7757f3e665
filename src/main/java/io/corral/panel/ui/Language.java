package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The language a page is shown in: the one the user chose in the header, else the first of the panel's languages their
 * browser asks for (Accept-Language), else English; and the time zone its times are shown in: the browser's, which
 * corral.js keeps in the cookie "tz", else UTC.
 */
@RequestScoped
@Named("language")
public class Language {
    /** The panel's languages; the first is the default. */
    private static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.JAPANESE);
    private static final Locale DEFAULT = SUPPORTED.get(0);
    /** How much of an Accept-Language header is read. */
    private static final int ACCEPT_LANGUAGE_READ = 200;
    @Inject
    CurrentUser user;
    @Inject
    HttpServerRequest request;
    @Inject
    EntityManager em;
    /** The cookie corral.js keeps the browser's time zone in (an IANA name such as Asia/Tokyo). */
    static final String ZONE_COOKIE = "tz";
    /** The longest zone name read (IANA's are under 40 characters), encoded at most three characters each. */
    private static final int ZONE_NAME_LONGEST = 64;
    /** Until the browser's zone is known: the region UTC, which a time names as "UTC" (the offset would print "Z"). */
    private static final ZoneId UTC = ZoneId.of("UTC");
    private Locale locale;

    /** The page, made in this language and zone: its messages are taken from this language's bundle. */
    TemplateInstance page(TemplateInstance page) {
        return page.setLocale(locale()).setAttribute("zone", zone());
    }

    /** The browser's time zone; one the JDK does not know, a broken cookie (tz=%), or none is UTC. */
    ZoneId zone() {
        Cookie cookie = request.getCookie(ZONE_COOKIE);
        if (cookie == null || cookie.getValue().length() > ZONE_NAME_LONGEST * 3) {
            return UTC;
        }
        try {
            return ZoneId.of(URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8));
        } catch (DateTimeException | IllegalArgumentException unknown) {
            return UTC;
        }
    }

    /**
     * Whether the header offers the switch: on a page fetched by GET only, which the switch can show again in the other
     * language. A page answering a form (a refused order, a new API client's secret shown once) would be lost.
     */
    public boolean switchable() {
        return request.method() == io.vertx.core.http.HttpMethod.GET;
    }

    /** A refusal in this language's words. */
    public String refusal(DomainException e) {
        return e.in(locale());
    }

    /** A bundle's messages in a language of the panel's, for words made in Java. */
    static <T> T messages(Class<T> bundle, Locale locale) {
        return MessageBundles.get(bundle, Localized.Literal.of(locale.getLanguage()));
    }

    /** The page's language. */
    Locale locale() {
        if (locale == null) {
            locale = chosen().orElseGet(this::asked);
        }
        return locale;
    }

    /** Remembers the user's choice; a language the panel does not have is refused, naming the field. */
    @Transactional
    public void choose(String language) {
        Locale chosen = supported(language).orElseThrow(() -> DomainException.invalid("language",
                r -> r.language_unknown(SUPPORTED.stream().map(Locale::getLanguage).toList().toString())));
        String subject = user.subject().orElseThrow(() -> DomainException.invalid("language", Refusals::language_signed_out));
        em.createNativeQuery("""
                insert into user_language (subject, language) values (?1, ?2)
                on conflict (subject) do update set language = excluded.language, chosen_at = now()""")
                .setParameter(1, subject).setParameter(2, chosen.getLanguage()).executeUpdate();
        locale = chosen;
    }

    private Optional<Locale> chosen() {
        return user.subject().flatMap(subject -> ((List<?>) em.createNativeQuery("select language from user_language where subject = ?1",
                String.class).setParameter(1, subject).getResultList()).stream().findFirst().map(Object::toString)).flatMap(Language::supported);
    }

    private Locale asked() {
        String header = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
        try {
            Locale match = header == null ? null : Locale.lookup(Locale.LanguageRange.parse(firstRanges(header)), SUPPORTED);
            return match == null ? DEFAULT : match;
        } catch (IllegalArgumentException malformed) { // a blank or broken header asks for none
            return DEFAULT;
        }
    }

    /**
     * The header's first whole ranges, up to ACCEPT_LANGUAGE_READ characters: parsing takes time growing with the square of
     * the number of ranges, and a browser sends a few.
     */
    static String firstRanges(String header) {
        if (header.length() <= ACCEPT_LANGUAGE_READ) {
            return header;
        }
        int end = header.lastIndexOf(',', ACCEPT_LANGUAGE_READ);
        return end > 0 ? header.substring(0, end) : "";
    }

    private static Optional<Locale> supported(String language) {
        return SUPPORTED.stream().filter(l -> l.getLanguage().equals(language)).findFirst();
    }
}
