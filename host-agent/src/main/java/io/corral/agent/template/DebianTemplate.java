package io.corral.agent.template;

import io.corral.agent.sys.Command;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.sys.HostTools;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Debian (bookworm, minbase) built with debootstrap from Debian's mirror, booting sysvinit.
 * Its inittab has no getty (a server has no virtual terminals) and powers off on SIGPWR, the
 * signal LXC uses for the same purpose.
 *
 * The ssh variant ("debian-ssh") adds openssh-server without host keys: every server made from it
 * makes its own at its first boot (ssh-keygen -A from the inittab, before the services start), so no
 * two servers share a host key, and root logs in with its keys (Debian's sshd takes no password for root).
 */
final class DebianTemplate implements TemplateBuilder {
    private static final int SIGPWR = 30;
    /** One debootstrap at a time (of this agent) writes the package cache that builds share. */
    private static final Object DOWNLOADS = new Object();
    static final String SUITE = "bookworm";
    static final String MIRROR = "http://deb.debian.org/debian";
    /** Some hundred packages from the mirror; a stalled download would otherwise hold the template's build for good. */
    private static final Duration DOWNLOAD_WITHIN = Duration.ofMinutes(30);
    private final boolean ssh;

    DebianTemplate(boolean ssh) {
        this.ssh = ssh;
    }

    @Override
    public Optional<String> missing() {
        return HostTools.onPath("debootstrap") ? Optional.empty()
                : Optional.of("no debootstrap on the PATH: install Debian's debootstrap package (apt-get install debootstrap)");
    }

    @Override
    public TemplateMeta build(Path rootfs, Path downloads) throws IOException {
        Files.createDirectories(downloads);
        synchronized (DOWNLOADS) {
            debootstrap(rootfs, downloads);
        }
        List<String> inittab = new ArrayList<>(List.of(
                "id:2:initdefault:",
                "si::sysinit:/etc/init.d/rcS"));
        if (ssh) {
            inittab.add("hk::sysinit:/usr/bin/ssh-keygen -A");
            forgetHostKeys(rootfs);
            // sshd's session would need audit_control to set the login uid, which a server does not keep
            Path pam = rootfs.resolve("etc/pam.d/sshd");
            Files.writeString(pam, Files.readString(pam).replaceAll("(?m)^session\\s+required\\s+pam_loginuid\\.so", "session optional pam_loginuid.so"));
        }
        inittab.addAll(List.of(
                "l0:0:wait:/etc/init.d/rc 0",
                "l2:2:wait:/etc/init.d/rc 2",
                "l6:6:wait:/etc/init.d/rc 6",
                "pf::powerwait:/sbin/shutdown -h now",
                ""));
        Files.writeString(rootfs.resolve("etc/inittab"), String.join("\n", inittab));
        return new TemplateMeta(List.of("/sbin/init"), SIGPWR, "debootstrap " + SUITE + (ssh ? " with openssh-server" : ""));
    }

    /**
     * debootstrap keeps the packages it fetched in downloads (checked against the suite's checksums when used
     * again), so debian and debian-ssh download once. When the mirror failed to send some package it gets a
     * second attempt, which fetches only what the first lacked; any other failure is not tried again.
     */
    private void debootstrap(Path rootfs, Path downloads) throws IOException {
        String[] command = {"debootstrap", "--variant=minbase", "--include=sysvinit-core,procps,iproute2" + (ssh ? ",openssh-server" : ""),
                "--cache-dir=" + downloads, SUITE, rootfs.toString(), MIRROR};
        try {
            Command.runWithin(DOWNLOAD_WITHIN, command);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("Couldn't download")) {
                throw e;
            }
            FileTrees.delete(rootfs);
            Files.createDirectories(rootfs);
            Command.runWithin(DOWNLOAD_WITHIN, command);
        }
    }

    /** The keys openssh-server's installation made: every server would share them. */
    private static void forgetHostKeys(Path rootfs) throws IOException {
        try (DirectoryStream<Path> keys = Files.newDirectoryStream(rootfs.resolve("etc/ssh"), "ssh_host_*")) {
            for (Path key : keys) {
                Files.delete(key);
            }
        }
    }
}
