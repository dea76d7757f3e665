package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.backup.OwnerShift;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.move.BlockSum;
import io.corral.agent.move.BlockSums;
import io.corral.agent.move.CommitRequest;
import io.corral.agent.move.ImageBlocks;
import io.corral.agent.move.IncomingMove;
import io.corral.agent.move.SendRequest;
import io.corral.agent.move.SendResult;
import io.corral.agent.move.TransferClient;
import io.corral.agent.runtime.InitProcess;
import io.corral.agent.spec.ServerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Moving a server's disk to another host, agent to agent. The sender copies the image while the server runs
 * (rounds of the blocks that changed since the last), then stops it, sends what changed since and asks the
 * receiver to commit: the receiver checks every block against its checksum, moves the files' owners to its own
 * user range and puts the image in place of the empty disk it made for the server. Until then the sender's
 * copy is whole, and any failure there boots it again if it ran.
 */
public final class Moves {
    /** Copy rounds while the server runs, at most: each sends what the one before left changed. */
    static final int ROUNDS_WHILE_RUNNING = 3;
    /** A round that changed less than this is the last while the server runs: stopping costs no more. */
    private static final long SMALL_ROUND_BYTES = 8L * ImageBlocks.BYTES;
    /** How long a send waits for another action on the server to end: a send cut off from its receiver ends in a block's time. */
    private static final java.time.Duration PREVIOUS_SEND = java.time.Duration.ofMinutes(2);
    private final ServerManager servers;
    private final DiskCopies copies;
    /** Striped: held exclusively only while a commit takes its blocks' files, so a stripe's other moves wait a moment at most. */
    private final ReadWriteLock[] receiving = new ReadWriteLock[16];

    public Moves(ServerManager servers, DiskCopies copies) {
        this.servers = servers;
        this.copies = copies;
        Arrays.setAll(receiving, i -> new ReentrantReadWriteLock());
    }

    /**
     * Sends the server to the agent the panel named; it is left stopped here once the receiver has committed. A send
     * the panel asks for again (its panel died mid-move and another took over, having removed the receiving end)
     * waits for the one before to fail, which it does at its next block.
     */
    public SendResult send(String id, SendRequest request) {
        URI to = request.validate();
        try (ServerLock.Held lock = servers.awaitLock(id, Action.move, PREVIOUS_SEND)) {
            ServerSpec spec = servers.existing(id);
            if (Files.exists(servers.paths(id).incoming())) {
                throw AgentException.conflict("server " + id + " is itself being moved to this host; it cannot be sent on before that ends");
            }
            return copies.copying(() -> sendLocked(spec, new TransferClient(to, request.fingerprint(), request.token(), id)));
        }
    }

    private SendResult sendLocked(ServerSpec spec, TransferClient to) {
        ServerPaths paths = servers.paths(spec.id());
        Optional<InitProcess> init = servers.init(spec);
        Map<Long, String> sent = new HashMap<>();
        long[] tally = new long[2]; // bytes, blocks
        int rounds = 0;
        if (init.isPresent()) {
            try (ImageBlocks image = ImageBlocks.forReading(paths.image())) {
                long changed = Long.MAX_VALUE;
                while (rounds < ROUNDS_WHILE_RUNNING && changed > SMALL_ROUND_BYTES) {
                    changed = round(image, sent, to, tally);
                    rounds++;
                }
            }
        }
        long stopped = System.nanoTime();
        ServerSpec kept = init.isPresent() ? servers.haltAndKeepStopped(spec, init.get()) : spec;
        Disk.unmount(paths); // the file system written out whole: nothing changes the image from here
        long halted = System.nanoTime(), lastRound;
        try (ImageBlocks image = ImageBlocks.forReading(paths.image())) {
            // from here the receiver may take the server: this host answers for its addresses again only if it boots it again
            if (spec.network() != null) {
                servers.network().stopAnswering(spec.network());
            }
            round(image, sent, to, tally);
            rounds++;
            lastRound = System.nanoTime();
            to.commit(new CommitRequest(image.size(), spec.users() == null ? null : spec.users().first(),
                    sent.entrySet().stream().map(e -> new BlockSum(e.getKey(), e.getValue())).sorted(java.util.Comparator.comparingLong(BlockSum::offset)).toList()));
        } catch (RuntimeException e) {
            if (e instanceof AgentException ae && ae.kind() == AgentException.Kind.OUTCOME_UNKNOWN) {
                // the receiver may have committed: booting this copy could make two; it stays stopped for the panel to decide
                Disk.mount(paths);
                throw e;
            }
            Disk.mount(paths);
            if (init.isPresent()) {
                try {
                    servers.bootAndKeepRunning(kept);
                } catch (RuntimeException boot) {
                    e.addSuppressed(boot);
                }
            }
            throw e;
        }
        long committed = System.nanoTime();
        Disk.mount(paths);
        return new SendResult(tally[0], tally[1], rounds, millis(stopped, committed), init.isPresent(), millis(stopped, halted),
                millis(halted, lastRound), millis(lastRound, committed));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /**
     * One pass over the image: each block holding data whose checksum differs from what was sent is sent. Blocks
     * that hold no data any more are forgotten: the commit names only those that do, the receiver punches the rest.
     */
    private static long round(ImageBlocks image, Map<Long, String> sent, TransferClient to, long[] tally) {
        byte[] buffer = new byte[ImageBlocks.BYTES];
        TreeSet<Long> data = image.dataBlocks();
        long changed = 0;
        for (long offset : data) {
            int length = image.read(offset, buffer);
            String sum = image.sha256(buffer, length);
            if (!sum.equals(sent.get(offset))) {
                to.block(offset, buffer, length);
                sent.put(offset, sum);
                changed += length;
                tally[0] += length;
                tally[1]++;
            }
        }
        to.drain();
        sent.keySet().retainAll(data);
        return changed;
    }

    /** Refuses a caller without this move's token, before anything of its request is read. */
    public void authorize(String id, String authorization) {
        Validation.id(id);
        IncomingMove.authorize(servers.paths(id), id, authorization);
    }

    /**
     * A block of the move to a server made here as its receiving end, from the sending agent, whose token
     * {@link #authorize} has checked before the block was read. It goes into the files named after that token, which a
     * block never makes: a receiving end removed (or made again for another token) since has none of them. Not under
     * the server's lock: the one sender's blocks each go to an offset of their own in files nothing else writes; a
     * commit waits for the blocks being written ({@link #receiving}), and a removal of the server may delete files a
     * block still writes into, but a block makes none.
     */
    public void receiveBlock(String id, String authorization, long offset, byte[] data) {
        ServerPaths paths = servers.paths(id);
        IncomingMove move = IncomingMove.presented(authorization);
        ServerSpec spec = servers.existing(id);
        long quota = spec.limits().diskMiB() << 20;
        if (offset < 0 || offset % ImageBlocks.BYTES != 0 || offset >= quota) {
            throw AgentException.invalid("offset", "must be a multiple of " + ImageBlocks.BYTES + " inside the server's disk of " + quota + " bytes");
        }
        if (data.length == 0 || data.length > ImageBlocks.BYTES || offset + data.length > quota) {
            throw AgentException.invalid("body", "must be 1 to " + ImageBlocks.BYTES + " bytes, ending inside the server's disk");
        }
        Lock shared = receiving(id).readLock();
        shared.lock();
        try (ImageBlocks image = ImageBlocks.forWriting(move.image(paths))) {
            if (BlockSums.full(move.sums(paths), quota / ImageBlocks.BYTES + 1)) {
                throw AgentException.tooMany("the move to server " + id + " has sent its disk's blocks " + BlockSums.TIMES
                        + " times over, and no more are taken: remove this receiving end and start the move again");
            }
            String sum = image.sha256(data, data.length);
            image.write(offset, data, data.length);
            BlockSums.append(move.sums(paths), offset, sum);
        } catch (RuntimeException e) {
            if (Files.notExists(move.image(paths)) || Files.notExists(move.sums(paths))) {
                throw IncomingMove.gone(id); // committed or removed since the token was checked
            }
            throw e;
        } finally {
            shared.unlock();
        }
    }

    /**
     * The end of a move to this host: the copy taken from the blocks (the move's token spent: no block lands after
     * this), checked block by block against the sender's checksums (blocks it does not name punched out), its owners
     * moved into this server's user range, then in place of the server's disk. The server stays stopped; the panel
     * starts it. A copy that fails its check is not used: the server stays the receiving end of the move, for the
     * panel to remove.
     */
    public ServerView commit(String id, String authorization, CommitRequest request) {
        Validation.id(id);
        ServerPaths paths = servers.paths(id);
        try (ServerLock.Held lock = servers.lock(id, Action.move)) {
            // under the lock: a receiving end removed and made again meanwhile has another token
            IncomingMove incoming = IncomingMove.authorize(paths, id, authorization);
            ServerSpec spec = servers.existing(id);
            request.validate(spec.limits().diskMiB() << 20);
            if (BlockSums.none(incoming.sums(paths))) {
                throw AgentException.conflict("no block of server " + id + " has arrived here; send its blocks before the commit");
            }
            long to = spec.users() == null ? 0 : spec.users().first();
            long from = request.usersFirst() == null ? 0 : request.usersFirst();
            copies.copying(() -> copies.replaceDisk(spec, "blocks", request.imageBytes(), () -> {
                checkSums(taken(id, paths, incoming), request);
                punchStrays(paths.restoring(), request);
                OwnerShift.shift(paths.restoring(), paths.shifting(), from, to);
            }));
            try {
                Files.delete(paths.incoming());
            } catch (IOException e) {
                throw new UncheckedIOException("the move of server " + id + " committed, but " + paths.incoming() + " stays: " + e.getMessage(), e);
            }
            return servers.view(spec, Optional.empty());
        }
    }

    /**
     * The blocks' image put where a restore writes, and their checksums as they arrived, once the blocks being written
     * have landed; their files gone, so that a block coming later finds none (its token spent), and one written while the
     * copy is checked or mounted could not change it.
     */
    private Map<Long, String> taken(String id, ServerPaths paths, IncomingMove incoming) {
        Lock exclusive = receiving(id).writeLock();
        exclusive.lock();
        try {
            Map<Long, String> arrived = BlockSums.read(incoming.sums(paths));
            move(incoming.image(paths), paths.restoring());
            Files.delete(incoming.sums(paths));
            return arrived;
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + incoming.sums(paths) + ": " + e.getMessage(), e);
        } finally {
            exclusive.unlock();
        }
    }

    /** The lock between a server's blocks being written (shared) and its commit taking them (exclusive), one of a few stripes. */
    private ReadWriteLock receiving(String id) {
        return receiving[Math.floorMod(id.hashCode(), receiving.length)];
    }

    /**
     * Every block the sender names arrived with the checksum it names, taken here as it arrived; else an error naming
     * the first that did not.
     */
    private static void checkSums(Map<Long, String> arrived, CommitRequest request) {
        for (BlockSum block : request.blocks()) {
            if (!block.sha256().equals(arrived.get(block.offset()))) {
                throw AgentException.unusable("blocks", "the block at " + block.offset() + (arrived.containsKey(block.offset())
                        ? " arrived other than it was sent (its SHA-256 differs)" : " never arrived") + "; the move is not committed");
            }
        }
    }

    /** What arrived for blocks the sender no longer names (they hold no data there now) punched out; the image sized and made durable. */
    private static void punchStrays(java.nio.file.Path image, CommitRequest request) {
        try (ImageBlocks blocks = ImageBlocks.forWriting(image)) {
            blocks.resize(request.imageBytes());
            Map<Long, String> named = new HashMap<>();
            request.blocks().forEach(b -> named.put(b.offset(), b.sha256()));
            for (long offset : blocks.dataBlocks()) {
                if (!named.containsKey(offset)) {
                    blocks.punch(offset, ImageBlocks.BYTES);
                }
            }
            blocks.force();
        }
    }

    private static void move(java.nio.file.Path from, java.nio.file.Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
