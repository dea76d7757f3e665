package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Values as the JSON text the panel stores: operations' payloads, audit details. */
@ApplicationScoped
public class JsonText {
    @Inject
    ObjectMapper json;

    public String of(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not writable as JSON: " + value.getClass().getName(), e);
        }
    }
}
