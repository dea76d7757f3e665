package io.corral.panel.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.hibernate.validator.spi.messageinterpolation.LocaleResolver;
import org.hibernate.validator.spi.messageinterpolation.LocaleResolverContext;

/**
 * The API's validation messages in English whatever a client's Accept-Language says (Quarkus would follow it otherwise),
 * stable for scripts. A page's form asks for its own language (ui/Forms). Quarkus asks every locale resolver in turn and
 * takes the first answer; its own, which follows Accept-Language, answers too, and of resolvers of equal priority either
 * may come first in a given start of the panel (the API once answered a run's tests in Japanese): so this one is first.
 */
@ApplicationScoped
@Priority(100)
public class EnglishValidation implements LocaleResolver {
    @Override
    public Locale resolve(LocaleResolverContext context) {
        return Locale.ENGLISH;
    }
}
