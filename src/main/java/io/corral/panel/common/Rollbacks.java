package io.corral.panel.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Undoes what a transaction did outside the database (in Keycloak) when the transaction does not commit: the
 * database change is made first, the outside one second, and a commit that fails afterwards takes both back.
 */
@ApplicationScoped
public class Rollbacks {
    @Inject
    TransactionSynchronizationRegistry transaction;

    public void onRollback(Runnable undo) {
        transaction.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    undo.run();
                }
            }
        });
    }
}
