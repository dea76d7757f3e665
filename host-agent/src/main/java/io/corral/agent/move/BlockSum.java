package io.corral.agent.move;

/** One block of a moved image that holds data: its offset and the SHA-256 of its bytes (lowercase hex). */
public record BlockSum(long offset, String sha256) {
}
