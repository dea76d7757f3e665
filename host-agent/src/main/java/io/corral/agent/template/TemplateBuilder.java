package io.corral.agent.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Fills an empty directory with a root filesystem and says how to boot it. */
interface TemplateBuilder {
    /** What this host lacks to build it, and how to get it; empty when it can. */
    Optional<String> missing();

    /** downloads: the store's directory for what builders fetch, kept for the next build (and other builders) to reuse. */
    TemplateMeta build(Path rootfs, Path downloads) throws IOException;
}
