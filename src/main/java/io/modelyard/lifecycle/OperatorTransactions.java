package io.modelyard.lifecycle;

import io.agroal.api.AgroalDataSource;
import io.modelyard.tenant.OperatorCredential;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Short transactions of the platform's own across all tenants (the erasure functions, the tenants that opted into
 * retention), on a connection that presents the operator credential. Each commits on its own: a step of a purge
 * that is killed is either done or not.
 */
@ApplicationScoped
class OperatorTransactions {

    interface Work<T> {
        T in(Connection connection) throws SQLException;
    }

    private final AgroalDataSource dataSource;
    private final OperatorCredential operatorCredential;

    OperatorTransactions(AgroalDataSource dataSource, OperatorCredential operatorCredential) {
        this.dataSource = dataSource;
        this.operatorCredential = operatorCredential;
    }

    <T> T call(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                operatorCredential.enterForTransaction(connection);
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }
}
