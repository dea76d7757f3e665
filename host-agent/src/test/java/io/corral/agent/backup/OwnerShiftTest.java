package io.corral.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.corral.agent.sys.Command;
import io.corral.agent.sys.ExtendedAttributes;
import io.corral.agent.sys.Loop;
import io.corral.agent.sys.Sys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner shift on a real ext4 image: owners in the source's range move to the target's, others stay; a set-user-id
 * file keeps its bit, a file capability of the source's namespace becomes one of the target's (the kernel drops it at the
 * chown), and a POSIX ACL's named users and groups move with the owners.
 */
class OwnerShiftTest {
    static final long FROM = 300_000, TO = 500_000;
    /** cap_net_raw permitted and effective, revision 3, for the namespace whose root is FROM. */
    static final byte[] CAPABILITY = capability(FROM);

    @TempDir
    Path dir;

    @Test
    void ownersCapabilitiesAndAclsMoveToTheTargetsRange() throws IOException {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Command.run("mkfs.ext4", "-q", "-F", image.toString());
        Path root = dir.resolve("mnt");
        onImage(image, root, r -> {
            try {
                Path ping = Files.writeString(r.resolve("ping"), "#!/bin/sh\n");
                chown(ping, FROM + 5, FROM + 5);
                Files.setAttribute(ping, "unix:mode", 04755, LinkOption.NOFOLLOW_LINKS);
                ExtendedAttributes.set(ping.toString(), AttributeIds.CAPABILITY, CAPABILITY);
                Path shared = Files.createDirectory(r.resolve("shared"));
                chown(shared, FROM, FROM);
                ExtendedAttributes.set(shared.toString(), "system.posix_acl_access", acl(FROM + 7, 1000, FROM + 8));
                ExtendedAttributes.set(shared.toString(), "system.posix_acl_default", acl(FROM + 7, 1000, FROM + 8));
                Path link = Files.createSymbolicLink(r.resolve("link"), Path.of("/etc/passwd"));
                chown(link, FROM + 1, FROM + 1);
                chown(Files.writeString(r.resolve("hosts"), "x"), 1000, 1000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        OwnerShift.shift(image, dir.resolve("shifting"), FROM, TO);

        onImage(image, root, r -> {
            try {
                Path ping = r.resolve("ping");
                assertEquals(TO + 5, uid(ping));
                assertEquals(04755, (Integer) Files.getAttribute(ping, "unix:mode") & 07777, "set-user-id kept");
                assertArrayEquals(capability(TO), ExtendedAttributes.get(ping.toString(), AttributeIds.CAPABILITY).orElseThrow(),
                        "the capability is the target namespace's");
                Path shared = r.resolve("shared");
                assertEquals(TO, uid(shared));
                assertArrayEquals(acl(TO + 7, 1000, TO + 8), ExtendedAttributes.get(shared.toString(), "system.posix_acl_access").orElseThrow());
                assertArrayEquals(acl(TO + 7, 1000, TO + 8), ExtendedAttributes.get(shared.toString(), "system.posix_acl_default").orElseThrow());
                assertEquals(TO + 1, uid(r.resolve("link")), "the link itself, not what it names");
                assertEquals(0, uid(Path.of("/etc/passwd")));
                assertEquals(1000, uid(r.resolve("hosts")), "outside the range: left as it was");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aNameTheJvmCannotDecodeLeadsNowhereElse() throws IOException {
        // the image's x\xff/f would be read as "x\uFFFD/f", which the customer made a link to a host directory
        Path host = Files.createDirectory(dir.resolve("host"));
        Path hostFile = Files.writeString(host.resolve("f"), "host's");
        ExtendedAttributes.set(hostFile.toString(), AttributeIds.CAPABILITY, CAPABILITY);
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Command.run("mkfs.ext4", "-q", "-F", image.toString());
        Path root = dir.resolve("mnt");
        onImage(image, root, r -> Command.run("bash", "-c", "cd " + r + " && mkdir $'x\\xff' && echo customer > $'x\\xff/f'"
                + " && chown -R " + (FROM + 3) + " $'x\\xff' && ln -s " + host + " $'x\\xef\\xbf\\xbd'"));

        OwnerShift.shift(image, dir.resolve("shifting"), FROM, TO);

        assertArrayEquals(CAPABILITY, ExtendedAttributes.get(hostFile.toString(), AttributeIds.CAPABILITY).orElseThrow(),
                "the host's file is untouched");
        onImage(image, root, r -> assertEquals(Long.toString(TO + 3), Command.run("bash", "-c", "stat -c %u " + r + "/$'x\\xff'/f").trim(),
                "the file itself moved to the target's range"));
    }

    @Test
    void aCapabilityForEveryNamespaceAndIdsOutsideTheRangeStay() {
        byte[] v2 = java.util.Arrays.copyOf(CAPABILITY, 20);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x02000001);
        assertArrayEquals(v2, AttributeIds.capability(v2, FROM, TO));
        assertArrayEquals(capability(FROM - 1), AttributeIds.capability(capability(FROM - 1), FROM, TO));
        assertArrayEquals(capability(TO + 65535), AttributeIds.capability(capability(FROM + 65535), FROM, TO));
        assertArrayEquals(capability(FROM + 65536), AttributeIds.capability(capability(FROM + 65536), FROM, TO));
    }

    static void onImage(Path image, Path at, Consumer<Path> work) throws IOException {
        Files.createDirectories(at);
        Loop.mount(image.toString(), at.toString(), "ext4", 0);
        try {
            work.accept(at);
        } finally {
            Sys.umount(at.toString(), 0);
        }
    }

    static void chown(Path p, long uid, long gid) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    static long uid(Path p) throws IOException {
        return Integer.toUnsignedLong((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    /** struct vfs_ns_cap_data: magic (revision 3, effective), permitted and inheritable low and high words, root id. */
    static byte[] capability(long rootId) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0x03000001).putInt(1 << 13).putInt(0).putInt(0).putInt(0)
                .putInt((int) rootId).array();
    }

    /** An ACL in the kernel's form: owner rwx, a named user, group r-x, a named group and an outside user, mask, others. */
    static byte[] acl(long user, long outsider, long group) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * 7).order(ByteOrder.LITTLE_ENDIAN).putInt(2);
        entry(b, 0x01, 7, -1);
        entry(b, 0x02, 7, user);
        entry(b, 0x02, 5, outsider);
        entry(b, 0x04, 5, -1);
        entry(b, 0x08, 5, group);
        entry(b, 0x10, 7, -1);
        entry(b, 0x20, 5, -1);
        return b.array();
    }

    static void entry(ByteBuffer b, int tag, int perm, long id) {
        b.putShort((short) tag).putShort((short) perm).putInt((int) id);
    }
}
