package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Times in the API's JSON are instants in UTC (2026-11-30T10:03:00.123Z): every time the panel keeps is
 * one. Written by the ISO instant printer, because the offset date-time one that Jackson uses by default
 * formats the fraction of a second through BigDecimal: on Java 17 that was half of a server list's JSON.
 */
@Singleton
public class JsonTimes implements ObjectMapperCustomizer {
    /** After Quarkus's own customizer, which registers Jackson's date-time serializers. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("corral-times").addSerializer(OffsetDateTime.class, new Instants()));
    }

    private static final class Instants extends StdSerializer<OffsetDateTime> {
        Instants() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime time, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(DateTimeFormatter.ISO_INSTANT.format(time));
        }
    }
}
