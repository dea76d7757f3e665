package io.corral.agent.template;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.sys.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Templates under <state>/templates/<name>/{rootfs,template.json}; what their builders download (Debian's
 * packages) under <state>/templates/.downloads, which is never a template's name.
 */
public final class TemplateStore {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private final StateDir state;
    private final Map<String, TemplateBuilder> builders;

    public TemplateStore(StateDir state) {
        this.state = state;
        this.builders = Map.of("busybox", new BusyboxTemplate(), "debian", new DebianTemplate(false), "debian-ssh", new DebianTemplate(true));
    }

    public Optional<Template> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path dir = state.templates().resolve(name);
        Path meta = dir.resolve("template.json");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            TemplateMeta m = Json.MAPPER.readValue(meta.toFile(), TemplateMeta.class);
            return Optional.of(new Template(name, dir.resolve("rootfs"), m.init(), m.stopSignal()));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + meta + ": " + e.getMessage(), e);
        }
    }

    /** The installed template of that name; the refusal names those installed and how to build one. */
    public Template get(String name) {
        return find(name).orElseThrow(() -> AgentException.invalid("template", "unknown template '" + name
                + "'; installed: " + String.join(", ", list().stream().map(Template::name).toList())
                + " (build one with: corral-agent template build busybox)"));
    }

    public List<Template> list() {
        List<Template> all = new ArrayList<>();
        if (!Files.isDirectory(state.templates())) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(state.templates())) {
            dirs.map(d -> d.getFileName().toString()).sorted().forEach(n -> find(n).ifPresent(all::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The names of the templates this agent can build here: it has their builder and the host their tools. */
    public List<String> buildable() {
        return builders.entrySet().stream().filter(b -> b.getValue().missing().isEmpty()).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * Builds a template into a temporary directory and moves it into place, so a half-built template
     * is never used; an existing template of that name is left alone.
     */
    public Template build(String name) {
        TemplateBuilder builder = builders.get(name);
        if (builder == null) {
            throw AgentException.invalid("template", "no builder for '" + name + "'; buildable: " + String.join(", ", buildable()));
        }
        Optional<Template> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        builder.missing().ifPresent(missing -> {
            throw AgentException.invalid("template", "'" + name + "' cannot be built on this host: " + missing);
        });
        Path target = state.templates().resolve(name);
        Path tmp = state.templates().resolve("." + name + ".building");
        try {
            Files.createDirectories(state.templates());
            FileTrees.delete(tmp);
            Files.createDirectories(tmp.resolve("rootfs"));
            TemplateMeta meta = builder.build(tmp.resolve("rootfs"), state.templates().resolve(".downloads"));
            Json.MAPPER.writeValue(tmp.resolve("template.json").toFile(), meta);
            Files.move(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("build template " + name + ": " + e.getMessage(), e);
        } finally {
            FileTrees.delete(tmp);
        }
        return find(name).orElseThrow();
    }
}
