package io.corral.agent.filesystem;

import io.corral.agent.StateDir;
import java.nio.file.Path;

/** The files of one server under the state directory. */
public record ServerPaths(Path dir) {
    public static ServerPaths of(StateDir state, String id) {
        return new ServerPaths(state.server(id));
    }

    public Path spec() {
        return dir.resolve("spec.json");
    }

    /** Present while the server is being created: a server that still has it after a crash is removed. */
    public Path creating() {
        return dir.resolve("creating");
    }

    /** The server's console log, a ring of its init's output (runtime/ConsoleLog); kept beside its disk, not on it. */
    public Path console() {
        return dir.resolve("console.log");
    }

    /** root's authorized_keys waiting to be written into the server's root (see PendingCredentials). */
    public Path pendingKeys() {
        return dir.resolve("pending-authorized-keys");
    }

    /** root's password hash waiting to be written into the server's /etc/shadow. */
    public Path pendingPasswordHash() {
        return dir.resolve("pending-password-hash");
    }

    /** Sparse ext4 image sized to the disk quota, holding the server's own layer. */
    public Path image() {
        return dir.resolve("disk.img");
    }

    /** Where the image is mounted on the host. */
    public Path disk() {
        return dir.resolve("disk");
    }

    Path upper() {
        return disk().resolve("upper");
    }

    Path work() {
        return disk().resolve("work");
    }

    /** Where the template appears shifted into the server's user range (its own mount namespace only). */
    Path shiftedTemplate() {
        return dir.resolve("template");
    }

    /** The server's snapshots (backup/Snapshots): beside its disk, so reinstall keeps them and destroy removes them. */
    public Path snapshots() {
        return dir.resolve("snapshots");
    }

    /**
     * Where a restore mounts its new image to move its files' owners (backup/OwnerShift); a crash can leave it
     * mounted, so it is unmounted at adoption and before the server's files are removed.
     */
    public Path shifting() {
        return snapshots().resolve("shifting.tmp");
    }

    /** A new image being made to take the disk's place (a restore), removed by the next if a crash left it. */
    public Path restoring() {
        return dir.resolve("disk.img.restoring");
    }

    /**
     * Present while the running server may hold limits other than its spec's, as the last put on it failed partway: the
     * init it was so for ("pid startTicks"), as a server started again is held to its spec afresh.
     */
    public Path limitsInDoubt() {
        return dir.resolve("limits-in-doubt");
    }

    /** Present while the server is the receiving end of a move (move/IncomingMove): it cannot start until the move commits. */
    public Path incoming() {
        return dir.resolve("incoming-move.json");
    }

    /** The image a move (its token's hash begins with attempt) writes block by block, which takes the disk's place when the move commits. */
    public Path incomingImage(String attempt) {
        return dir.resolve("disk.img.incoming-" + attempt);
    }

    /** The checksum of each block a move wrote into {@link #incomingImage}, taken as it arrived: "offset sha256" lines. */
    public Path incomingSums(String attempt) {
        return dir.resolve("disk.img.incoming-" + attempt + ".sums");
    }

    /** Mount point of the server's root filesystem; only its own mount namespace sees it mounted. */
    public Path root() {
        return dir.resolve("root");
    }
}
