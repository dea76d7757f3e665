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

    /** The field of the object stored as text, as the type. */
    public <T> T read(String text, String field, Class<T> type) {
        try {
            return json.treeToValue(json.readTree(text).get(field), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not readable as JSON with " + field + ": " + text, e);
        }
    }
}
