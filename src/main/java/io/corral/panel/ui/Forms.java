package io.corral.panel.ui;

import io.corral.panel.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.ValidatorFactory;
import java.util.Locale;
import java.util.Set;

/**
 * A form's fields checked by the same rules as the API's request bodies, refused with the field named, in the page's
 * language (Hibernate Validator's own messages, and ours in ValidationMessages_*.properties); the API's stay English.
 */
@ApplicationScoped
class Forms {
    @Inject
    ValidatorFactory validators;
    @Inject
    Language language;

    <T> T valid(T request) {
        Locale in = language.locale();
        Set<ConstraintViolation<T>> violations = validators.usingContext().messageInterpolator(in(validators.getMessageInterpolator(), in))
                .getValidator().validate(request);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> v = violations.iterator().next();
            String field = v.getPropertyPath().toString();
            // already in the page's language: this refusal is only ever shown on the page
            throw DomainException.invalid(field, r -> field + ": " + v.getMessage());
        }
        return request;
    }

    /** The panel's interpolator, always in one language. */
    private static MessageInterpolator in(MessageInterpolator interpolator, Locale language) {
        return new MessageInterpolator() {
            @Override
            public String interpolate(String template, Context context) {
                return interpolator.interpolate(template, context, language);
            }

            @Override
            public String interpolate(String template, Context context, Locale locale) {
                return interpolator.interpolate(template, context, language);
            }
        };
    }
}
