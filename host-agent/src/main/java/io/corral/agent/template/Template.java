package io.corral.agent.template;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only OS root filesystem shared by every server built from it, with how to boot and halt it:
 * the init command line and the signal that asks that init to shut down cleanly.
 */
public record Template(String name, Path rootfs, List<String> init, int stopSignal) {
}
