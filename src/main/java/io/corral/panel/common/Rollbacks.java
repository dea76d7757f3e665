package io.corral.panel.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Ties work outside the database to a transaction's end: undoing what it did outside (in Keycloak) when it does not
 * commit (the database change is made first, the outside one second, and a commit that fails afterwards takes both
 * back), or acting only once its change is visible.
 */
@ApplicationScoped
public class Rollbacks {
    @Inject
    TransactionSynchronizationRegistry transaction;

    public void onRollback(Runnable undo) {
        afterCompletion(committed -> {
            if (!committed) {
                undo.run();
            }
        });
    }

    /** Runs once the transaction has committed, when what it changed is what every other reader sees. */
    public void onCommit(Runnable then) {
        afterCompletion(committed -> {
            if (committed) {
                then.run();
            }
        });
    }

    private void afterCompletion(java.util.function.Consumer<Boolean> step) {
        transaction.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                step.accept(status == Status.STATUS_COMMITTED);
            }
        });
    }
}
