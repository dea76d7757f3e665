package io.corral.panel.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTimesTest {
    @Test
    void writesWhatTheIsoInstantPrinterWrites() throws Exception {
        ObjectMapper json = new ObjectMapper();
        new JsonTimes().customize(json);
        List<OffsetDateTime> times = new ArrayList<>(List.of(
                OffsetDateTime.of(2026, 11, 30, 10, 3, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 11, 30, 10, 3, 0, 123_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 11, 30, 10, 3, 0, 123_456_000, ZoneOffset.ofHours(9)),
                OffsetDateTime.of(0, 1, 1, 0, 0, 0, 1, ZoneOffset.UTC),
                OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC),
                OffsetDateTime.of(9999, 12, 31, 23, 0, 0, 0, ZoneOffset.ofHours(-2)),
                OffsetDateTime.of(-5, 6, 7, 8, 9, 10, 11, ZoneOffset.UTC),
                OffsetDateTime.MIN, OffsetDateTime.MAX));
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_800L); // 0000-01-01 to 10000-01-01
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            times.add(Instant.ofEpochSecond(second, nano).atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600))));
        }
        for (OffsetDateTime time : times) {
            assertEquals('"' + DateTimeFormatter.ISO_INSTANT.format(time) + '"', json.writeValueAsString(time), time::toString);
        }
    }
}
