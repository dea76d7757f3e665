package io.corral.agent.template;

import io.corral.agent.sys.Command;
import io.corral.agent.sys.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real Debian (bookworm, minbase) built with debootstrap from Debian's mirror, booting sysvinit.
 * Its inittab has no getty (a server has no virtual terminals) and powers off on SIGPWR, the
 * signal LXC uses for the same purpose.
 */
final class DebianTemplate implements TemplateBuilder {
    private static final int SIGPWR = 30;
    static final String SUITE = "bookworm";
    static final String MIRROR = "http://deb.debian.org/debian";

    @Override
    public Optional<String> missing() {
        return HostTools.onPath("debootstrap") ? Optional.empty()
                : Optional.of("no debootstrap on the PATH: install Debian's debootstrap package (apt-get install debootstrap)");
    }

    @Override
    public TemplateMeta build(Path rootfs) throws IOException {
        Command.run("debootstrap", "--variant=minbase", "--include=sysvinit-core,procps,iproute2",
                SUITE, rootfs.toString(), MIRROR);
        Files.writeString(rootfs.resolve("etc/inittab"), String.join("\n",
                "id:2:initdefault:",
                "si::sysinit:/etc/init.d/rcS",
                "l0:0:wait:/etc/init.d/rc 0",
                "l2:2:wait:/etc/init.d/rc 2",
                "l6:6:wait:/etc/init.d/rc 6",
                "pf::powerwait:/sbin/shutdown -h now",
                ""));
        return new TemplateMeta(List.of("/sbin/init"), SIGPWR, "debootstrap " + SUITE);
    }
}
