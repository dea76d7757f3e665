package io.corral.agent.template;

import java.io.IOException;
import java.nio.file.Path;

/** Fills an empty directory with a root filesystem and says how to boot it. */
interface TemplateBuilder {
    TemplateMeta build(Path rootfs) throws IOException;
}
