package io.corral.panel.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.lang.invoke.MethodHandles;

/**
 * Jackson calls the views' accessors through lambdas it generates (FasterXML's Blackbird module) rather than
 * by reflection, which was a list's most sampled frame of Jackson's after the writing itself (bench/RESULTS.md).
 * Only for the panel's own classes: Blackbird fails on classes it cannot open (the JDK's, proxies), which
 * stay with reflection.
 */
@Singleton
public class JsonAccessors implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        MethodHandles.Lookup own = MethodHandles.lookup();
        mapper.registerModule(new BlackbirdModule(type -> type.getName().startsWith("io.corral.") ? own : null));
    }
}
