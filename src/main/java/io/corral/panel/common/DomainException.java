package io.corral.panel.common;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import java.util.Locale;
import java.util.function.Function;

/**
 * A refusal the user should read as it is. The kind picks the status code (in {@link ProblemMapper},
 * one table for the whole panel); field names the request field at fault, where there is one. Its words come from
 * {@link Refusals}: English for the API and the logs (getMessage), the user's language on a page ({@link #in}).
 */
public class DomainException extends RuntimeException {
    public enum Kind { INVALID, FORBIDDEN, NOT_FOUND, CONFLICT, QUOTA, TOO_MANY, NO_CAPACITY, UNAVAILABLE }

    private final Kind kind;
    private final String field;
    private final Function<Refusals, String> words;

    public DomainException(Kind kind, String field, Function<Refusals, String> words) {
        this.kind = kind;
        this.field = field;
        this.words = words;
    }

    public static DomainException invalid(String field, Function<Refusals, String> words) {
        return new DomainException(Kind.INVALID, field, words);
    }

    public static DomainException notFound(Function<Refusals, String> words) {
        return new DomainException(Kind.NOT_FOUND, null, words);
    }

    public static DomainException conflict(Function<Refusals, String> words) {
        return new DomainException(Kind.CONFLICT, null, words);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    /** Its words, for a refusal that gives this one as its reason, in the same language (an agent's failure in a move). */
    public Function<Refusals, String> words() {
        return words;
    }

    /** In English: the API's answer and the logs. */
    @Override
    public String getMessage() {
        return in(Locale.ENGLISH);
    }

    /** In a language's words (the panel's are English and Japanese; any other reads English). */
    public String in(Locale language) {
        String tag = language.getLanguage().equals(Locale.JAPANESE.getLanguage()) ? "ja" : "en";
        return words.apply(MessageBundles.get(Refusals.class, Localized.Literal.of(tag)));
    }
}
