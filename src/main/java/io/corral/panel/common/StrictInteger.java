package io.corral.panel.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * An Integer field that takes a JSON integer only (@JsonDeserialize(using = StrictInteger.class)): Jackson
 * otherwise reads 20000.9 as 20000 and "20001" as 20001, so a client's mistake would pass as another value.
 * Anything else is a 400 naming the field, as any value of the wrong type is (UnreadableBody). Per field,
 * not for the whole mapper: other APIs' clients may send numbers as text and be answered as before.
 */
public class StrictInteger extends StdDeserializer<Integer> {
    public StrictInteger() {
        super(Integer.class);
    }

    @Override
    public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return parser.getIntValue(); // beyond int's range: the parser's InputCoercionException, answered as for any int
        }
        return (Integer) context.handleUnexpectedToken(Integer.class, parser);
    }
}
