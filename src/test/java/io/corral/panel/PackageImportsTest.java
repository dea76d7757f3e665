package io.corral.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports between the panel's packages point one way (see README's architecture section). Read from the
 * sources, imports and fully qualified names alike, so it runs in a blink without starting Quarkus.
 */
class PackageImportsTest {
    /** The shared kernel: value types and plumbing every package may use; it uses no other package. */
    static final Set<String> KERNEL = Set.of("common", "limits");

    private static final Path ROOT = Path.of("src/main/java/io/corral/panel");
    private static final Pattern REFERENCE = Pattern.compile("io\\.corral\\.panel\\.([a-z]+)\\.");

    @Test
    void noPackagesImportEachOtherInALoop() {
        assertEquals(List.of(), loop(imports()), "packages that import each other in a loop");
    }

    @Test
    void theKernelUsesNoOtherPackage() {
        Map<String, Set<String>> imports = imports();
        for (String kernel : KERNEL) {
            assertEquals(Set.of(), imports.getOrDefault(kernel, Set.of()), kernel + "/ is shared kernel, yet uses");
        }
    }

    /** For each package under the panel's root, the other panel packages its sources name. */
    static Map<String, Set<String>> imports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = ROOT.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // CorralMain, the entry point, above every package
                }
                String from = relative.getName(0).toString();
                Set<String> to = imports.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    /** One loop of imports, as the packages along it (first repeated last), or empty when there is none. */
    static List<String> loop(Map<String, Set<String>> imports) {
        Set<String> done = new HashSet<>();
        for (String start : imports.keySet()) {
            List<String> found = loopFrom(start, imports, new ArrayList<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> loopFrom(String pkg, Map<String, Set<String>> imports, List<String> path, Set<String> done) {
        int seen = path.indexOf(pkg);
        if (seen >= 0) {
            List<String> loop = new ArrayList<>(path.subList(seen, path.size()));
            loop.add(pkg);
            return loop;
        }
        if (done.contains(pkg)) {
            return List.of();
        }
        path.add(pkg);
        for (String next : imports.getOrDefault(pkg, Set.of())) {
            List<String> found = loopFrom(next, imports, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        done.add(pkg);
        return List.of();
    }
}
