package io.corral.panel.ui;

import io.corral.panel.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;

/** A form's fields checked by the same rules as the API's request bodies, refused with the field named. */
@ApplicationScoped
class Forms {
    @Inject
    Validator validator;

    <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> v = violations.iterator().next();
            throw DomainException.invalid(v.getPropertyPath().toString(), v.getMessage());
        }
        return request;
    }
}
