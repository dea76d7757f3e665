package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request body Jackson could not read, said in the client's words: the field at fault (as a path
 * such as command[0]; "body" when the JSON itself is broken) and the rule it breaks.
 */
record UnreadableBody(String field, String rule) {
    private static final String INT = "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE,
            LONG = "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    // the parser names the primitive type when a number overflows, the binding the boxed one
    private static final Map<Class<?>, String> RULES = Map.of(Integer.class, INT, int.class, INT, Long.class, LONG, long.class, LONG,
            BigDecimal.class, "must be a number",
            Double.class, "must be a number",
            Boolean.class, "must be true or false",
            String.class, "must be text",
            LocalDate.class, "must be a date such as 2026-11-01");

    /** What is wrong with the body; null when the fault is not the body's (a type the panel itself cannot read or write). */
    static UnreadableBody of(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            return null;
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            // a value of the wrong type, or a number out of its type's range (reported by the parser beneath)
            Class<?> target = m instanceof MismatchedInputException mismatch ? mismatch.getTargetType()
                    : m.getCause() instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
            return new UnreadableBody(path(m), rule(target));
        }
        if (e instanceof StreamConstraintsException) {
            return new UnreadableBody("body", ProblemMapper.rootMessage(e));
        }
        if (e instanceof JsonMappingException) {
            return new UnreadableBody("body", "must be a JSON object");
        }
        return new UnreadableBody("body", "is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static String rule(Class<?> target) {
        if (target == null) {
            return "has the wrong type";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "must be a list";
        }
        return RULES.getOrDefault(target, "has the wrong type");
    }
}
