package io.corral.agent.move;

import io.corral.agent.AgentException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The end of a move's copy, from the sending agent: the image's size, the first host id of the server's user
 * range there (null: it had none; its files' owners move to this host's range), and every block that holds
 * data with its checksum. The receiver checks its copy against them before the image takes the disk's place.
 */
public record CommitRequest(long imageBytes, Long usersFirst, List<BlockSum> blocks) {
    public void validate(long quotaBytes) {
        if (imageBytes <= 0 || imageBytes > quotaBytes) {
            throw AgentException.invalid("imageBytes", "must be above 0 and at most the server's disk quota here, " + quotaBytes);
        }
        if (usersFirst != null && usersFirst < 0) {
            throw AgentException.invalid("usersFirst", "must be 0 or more");
        }
        if (blocks == null) {
            throw AgentException.invalid("blocks", "is required");
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < blocks.size(); i++) {
            BlockSum block = blocks.get(i);
            String field = "blocks[" + i + "]";
            if (block == null || block.sha256() == null || !block.sha256().matches("[0-9a-f]{64}")) {
                throw AgentException.invalid(field + ".sha256", "must be 64 lowercase hexadecimal digits");
            }
            if (block.offset() < 0 || block.offset() % ImageBlocks.BYTES != 0 || block.offset() >= imageBytes) {
                throw AgentException.invalid(field + ".offset", "must be a multiple of " + ImageBlocks.BYTES + " inside the image");
            }
            if (!seen.add(block.offset())) {
                throw AgentException.invalid(field + ".offset", "names a block listed before");
            }
        }
    }
}
