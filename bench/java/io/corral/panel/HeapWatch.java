package io.corral.panel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a piece of work keeps on the heap: while it runs, a full collection every second and the
 * heap in use right after it, against the same before the work. Garbage does not count (a young
 * collection's figure would count old garbage not yet collected); what the work holds on to does.
 * The forced collections slow the work: time it in another run.
 */
public final class HeapWatch implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long baseline;
    private final AtomicLong most = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final Thread watcher;

    public HeapWatch() {
        baseline = usedAfterFullGc();
        most.set(baseline);
        watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                most.accumulateAndGet(usedAfterFullGc(), Math::max);
                collections.incrementAndGet();
            }
        }, "heap-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private long usedAfterFullGc() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Bytes the heap held, after full collections during the work, beyond the baseline. */
    public long growth() {
        return most.get() - baseline;
    }

    public long collections() {
        return collections.get();
    }

    @Override
    public void close() throws InterruptedException {
        watcher.interrupt();
        watcher.join();
    }
}
