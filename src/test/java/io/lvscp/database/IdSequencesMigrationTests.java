package io.lvscp.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V8 (ids from sequences) on a database that already holds rows, on H2 and on the real PostgreSQL: each
 * sequence starts so that Hibernate's pooled optimizer (a value v stands for the ids v-49..v) hands out ids above the
 * existing ones, an empty table's sequence starts at 1, and a row inserted without an id takes its id from the
 * sequence (the IDENTITY is gone), never one a director could also hand out.
 */
class IdSequencesMigrationTests {

    @Test
    void onH2() throws SQLException {
        migrateWithRows("jdbc:h2:mem:v8-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", false);
    }

    @Test
    void onPostgres() throws SQLException {
        TestPostgres.require();
        migrateWithRows(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, true);
    }

    private static void migrateWithRows(String url, String user, String password, boolean postgres) throws SQLException {
        Flyway seven = Flyway.configure().dataSource(url, user, password).cleanDisabled(false).target("7").load();
        seven.clean();
        seven.migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("INSERT INTO cluster (id, name, description, version, created_at, updated_at)"
                    + " VALUES (3, 'a', null, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            st.execute("INSERT INTO cluster (id, name, description, version, created_at, updated_at)"
                    + " VALUES (120, 'b', null, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        Flyway.configure().dataSource(url, user, password).load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            long v = next(st, "cluster_seq", postgres);
            assertThat(v - 49).as("first id of the first block").isGreaterThan(120);
            assertThat(next(st, "director_seq", postgres)).as("empty table").isEqualTo(1);
            assertThat(next(st, "director_seq", postgres) - next(st, "real_server_seq", postgres)).as("increment").isEqualTo(50);
            // a row without an id: from the sequence, a whole block of its own
            st.execute("INSERT INTO cluster (name, description, version, created_at, updated_at)"
                    + " VALUES ('c', null, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            try (ResultSet rs = st.executeQuery("SELECT id FROM cluster WHERE name = 'c'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(v + 50);
            }
            for (String table : java.util.List.of("cluster", "director", "vrrp_instance", "virtual_server", "real_server", "app_user")) {
                assertThat(next(st, table + "_seq", postgres)).as(table).isPositive();
            }
        }
    }

    private static long next(Statement st, String sequence, boolean postgres) throws SQLException {
        try (ResultSet rs = st.executeQuery(postgres ? "SELECT nextval('" + sequence + "')" : "SELECT NEXT VALUE FOR " + sequence)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
