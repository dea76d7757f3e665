package io.corral.panel.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson calls the views' accessors through lambdas it generates (FasterXML's Blackbird module) rather than
 * by reflection, which was a list's most sampled frame of Jackson's after the writing itself (bench/RESULTS.md).
 */
@Singleton
public class JsonAccessors implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new BlackbirdModule());
    }
}
