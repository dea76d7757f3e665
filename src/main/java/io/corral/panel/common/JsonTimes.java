package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times in the API's JSON are instants in UTC (2026-11-30T10:03:00.123Z): every time the panel keeps is
 * one. Written as the ISO instant printer writes them, but by {@link #iso(LocalDateTime, char[])}: the
 * offset date-time printer that Jackson uses by default formats the fraction of a second through
 * BigDecimal (half of a server list's JSON on Java 17), and the ISO instant printer, which builds a
 * LocalDateTime and several strings per time, was still a tenth of a list's CPU (bench/RESULTS.md).
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
            long second = time.toEpochSecond();
            if (second < YEAR_0 || second >= YEAR_10000) { // ISO_INSTANT writes these with a sign
                json.writeString(DateTimeFormatter.ISO_INSTANT.format(time));
                return;
            }
            char[] text = new char[MAX_LENGTH];
            json.writeString(text, 0, iso(LocalDateTime.ofEpochSecond(second, time.getNano(), ZoneOffset.UTC), text));
        }
    }

    /** yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ */
    private static final int MAX_LENGTH = 30;
    /** The epoch seconds of 0000-01-01 and 10000-01-01 in UTC. */
    private static final long YEAR_0 = -62_167_219_200L, YEAR_10000 = 253_402_300_800L;

    /**
     * Writes a time of the years 0000-9999 in UTC as DateTimeFormatter.ISO_INSTANT would into text and
     * answers its length: the fraction of a second in groups of three digits, as many as it needs, none
     * when it is zero.
     */
    private static int iso(LocalDateTime utc, char[] text) {
        digits(text, 0, utc.getYear(), 4);
        text[4] = '-';
        digits(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, utc.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, utc.getHour(), 2);
        text[13] = ':';
        digits(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, utc.getSecond(), 2);
        int at = 19, nano = utc.getNano();
        if (nano != 0) {
            int width = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            text[at++] = '.';
            digits(text, at, width == 3 ? nano / 1_000_000 : width == 6 ? nano / 1_000 : nano, width);
            at += width;
        }
        text[at++] = 'Z';
        return at;
    }

    private static void digits(char[] text, int from, int value, int width) {
        for (int i = from + width - 1; i >= from; i--, value /= 10) {
            text[i] = (char) ('0' + value % 10);
        }
    }
}
