package io.corral.panel.network;

import java.math.BigInteger;

/**
 * A pool and how full it is: size is how many addresses in it a server can get (its range without the
 * network's gateway and its network and broadcast addresses), used how many servers hold.
 */
public record PoolView(long id, String first, String last, BigInteger size, long used) {
    /** How full, in whole per cent (rounded up, so a pool with one address taken never shows 0). */
    public int percentUsed() {
        if (size.signum() == 0) {
            return 100;
        }
        BigInteger[] q = BigInteger.valueOf(used).multiply(BigInteger.valueOf(100)).divideAndRemainder(size);
        return q[0].intValue() + (q[1].signum() > 0 ? 1 : 0);
    }
}
