package io.corral.agent.backup;

import io.corral.agent.AgentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link BackupStore} keeps its objects: files in a directory ({@link DirectoryObjects}) or objects in an
 * S3-compatible bucket ({@link S3Objects}). Keys are relative, '/'-separated ("servers/ID/BID.json"). A put is
 * whole once it returns (durable, and visible to every later get and listing), which is what lets the store
 * write a manifest last and count a listed manifest as a complete backup.
 */
public interface StoreObjects {
    /** The object's bytes, or empty when there is none; for the small ones (manifests, checksums). */
    Optional<byte[]> get(String key);

    /**
     * Reads the object into the buffer; returns its size, which may exceed the buffer (then only the buffer's
     * length is read), or -1 when there is none. A chunk never needs more than one buffer in memory.
     */
    long read(String key, byte[] into);

    /** Stores bytes[0, length) as the object, replacing one of that key. */
    void put(String key, byte[] bytes, int length);

    /** The objects directly under dir ("servers/ID/"), by key, with their sizes; refused (409) past most. */
    Map<String, Long> files(String dir, int most);

    /** Every object under dir, at any depth, by key, with their sizes; refused (409) past most: a listing is held in memory. */
    Map<String, Long> tree(String dir, int most);

    /** The refusal of a listing of more than most objects under dir. */
    static AgentException tooMany(String dir, int most, String where) {
        return AgentException.conflict("more than " + most + " objects under " + dir + " in " + where + ", the most the agent lists at once:"
                + " more than a server's backups can make (each is capped in chunks), so work files crashes left: remove those by hand");
    }

    /** Removes the objects; absent ones are no error. */
    void delete(List<String> keys);

    /** Removes everything under dir. */
    void deleteTree(String dir);

    /** Held by backups and restores; several at once. */
    Held shared();

    /** Held alone by a deletion, which removes the chunks no manifest references. */
    Held exclusive();

    /** Refuses (409) another chunk of what (a backup) where the store keeps some room free; nothing where it does not. */
    default void checkRoom(String what) {
    }

    /** Where the store is, for messages (no secrets). */
    String where();

    /** A lock taken by {@link #shared()} or {@link #exclusive()}. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
