package io.corral.panel;

import io.corral.panel.host.Host;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A transaction of another thread, kept open after its work, with the locks it took, until closed: then it
 * commits. What a test needs to hold a row (a host) as a placement, a move or a usage round elsewhere would.
 */
final class OpenTransaction implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final CountDownLatch done = new CountDownLatch(1), release = new CountDownLatch(1);
    private final Future<?> committed;

    /** Runs the work in a new transaction and returns once it is done, the transaction still open. */
    static OpenTransaction after(Runnable work) throws InterruptedException {
        OpenTransaction t = new OpenTransaction(work);
        if (!t.done.await(30, TimeUnit.SECONDS)) {
            t.close();
            throw new AssertionError("the transaction's work did not end within 30 s");
        }
        if (t.committed.isDone()) {
            t.close(); // the work failed and the transaction ended: says why
        }
        return t;
    }

    private OpenTransaction(Runnable work) {
        committed = thread.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            try {
                work.run();
            } finally {
                done.countDown();
            }
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Row-locks the host, as a transaction changing it does: to be called in the work. */
    static void lockHost(long hostId) {
        Host.getEntityManager().createNativeQuery("select id from host where id = ?1 for update").setParameter(1, hostId).getResultList();
    }

    /** Commits it, and waits for that. */
    @Override
    public void close() {
        release.countDown();
        try {
            committed.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the open transaction failed", e);
        } finally {
            thread.shutdownNow();
        }
    }
}
