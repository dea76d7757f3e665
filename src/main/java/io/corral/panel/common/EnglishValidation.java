package io.corral.panel.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.hibernate.validator.spi.messageinterpolation.LocaleResolver;
import org.hibernate.validator.spi.messageinterpolation.LocaleResolverContext;

/**
 * The API's validation messages in English whatever a client's Accept-Language says (Quarkus would follow it otherwise),
 * stable for scripts. A page's form asks for its own language (ui/Forms).
 */
@ApplicationScoped
public class EnglishValidation implements LocaleResolver {
    @Override
    public Locale resolve(LocaleResolverContext context) {
        return Locale.ENGLISH;
    }
}
