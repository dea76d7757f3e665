package io.corral.agent.backup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The host ids a file's extended attributes name, moved as its owners are: a file capability of revision 3 names the
 * user namespace it is for by that namespace's root (so a server's own `setcap` works only inside it), and a POSIX ACL
 * names users and groups. Both are little-endian, as the kernel keeps them on disk.
 */
final class AttributeIds {
    static final String CAPABILITY = "security.capability";
    /** The access ACL, then the default one (a directory's, for what is made in it). */
    static final List<String> ACLS = List.of("system.posix_acl_access", "system.posix_acl_default");
    private static final int CAP_REVISION_MASK = 0xFF000000, CAP_REVISION_3 = 0x03000000, CAP_V3_SIZE = 24, CAP_ROOT_ID = 20;
    private static final int ACL_HEADER = 4, ACL_ENTRY = 8, ACL_USER = 0x02, ACL_GROUP = 0x08;

    private AttributeIds() {
    }

    /** The capability with its root id moved, if it names one in the range (revision 2 names none: it is for every namespace). */
    static byte[] capability(byte[] value, long from, long to) {
        ByteBuffer b = ByteBuffer.wrap(value.clone()).order(ByteOrder.LITTLE_ENDIAN);
        if (value.length == CAP_V3_SIZE && (b.getInt(0) & CAP_REVISION_MASK) == CAP_REVISION_3) {
            b.putInt(CAP_ROOT_ID, moved(b.getInt(CAP_ROOT_ID), from, to));
        }
        return b.array();
    }

    /** The ACL with the ids of its named users and groups moved where they are in the range. */
    static byte[] acl(byte[] value, long from, long to) {
        ByteBuffer b = ByteBuffer.wrap(value.clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = ACL_HEADER; at + ACL_ENTRY <= value.length; at += ACL_ENTRY) {
            short tag = b.getShort(at);
            if (tag == ACL_USER || tag == ACL_GROUP) {
                b.putInt(at + 4, moved(b.getInt(at + 4), from, to));
            }
        }
        return b.array();
    }

    /** The id moved from one range to the other, or as it was if it is not in the first. */
    static int moved(int id, long from, long to) {
        long offset = Integer.toUnsignedLong(id) - from;
        return offset >= 0 && offset < OwnerShift.RANGE ? (int) (to + offset) : id;
    }
}
