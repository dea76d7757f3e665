package io.corral.agent.template;

import io.corral.agent.sys.Command;
import io.corral.agent.sys.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A tiny template from the host's static busybox: busybox init as PID 1, a shell and the usual
 * applets. It boots in milliseconds, which makes it the template of the tests and benchmarks.
 */
final class BusyboxTemplate implements TemplateBuilder {
    // busybox init halts on SIGUSR2 (poweroff): it runs the shutdown actions, ends every process and exits.
    private static final int SIGUSR2 = 12;

    @Override
    public Optional<String> missing() {
        try {
            HostTools.busybox();
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public TemplateMeta build(Path rootfs, Path downloads) throws IOException {
        Path busybox = HostTools.busybox();
        for (String dir : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "root", "var/log", "run", "usr/bin")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        for (String applet : Command.run(busybox.toString(), "--list").split("\n")) {
            Path link = rootfs.resolve("bin").resolve(applet.trim());
            if (!applet.isBlank() && !Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.createSymbolicLink(rootfs.resolve("sbin/init"), Path.of("../bin/busybox"));
        Files.setPosixFilePermissions(rootfs.resolve("tmp"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        // /tmp stays on the server's disk: a server cannot mount (no sys_admin), and its console log would say so at every boot
        Files.writeString(rootfs.resolve("etc/inittab"), String.join("\n",
                "::shutdown:/bin/sync",
                ""));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n");
        return new TemplateMeta(List.of("/sbin/init"), SIGUSR2, "busybox " + busybox);
    }
}
