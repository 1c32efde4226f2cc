package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 8: the aggregates' ids from sequences instead of IDENTITY columns, so that Hibernate knows an id
 * before the INSERT and can batch the INSERTs of a bulk write (see {@code io.lvscp.model.BaseEntity}).
 *
 * <p>A Java migration because the same step must run on H2 and PostgreSQL, and neither accepts the other's way of
 * starting a sequence at a computed value ({@code setval} is PostgreSQL's, an expression after {@code START WITH}
 * is H2's). For each table: {@code CREATE SEQUENCE <table>_seq START WITH s INCREMENT BY 50}, where {@code s} is 1
 * for an empty table, else the largest id + 50 (Hibernate's pooled optimizer takes a value {@code v} it reads as the
 * ids {@code v-49..v}, so the first ids handed out are above every existing one). Then the column's IDENTITY is
 * replaced by a default from the same sequence: a row inserted without an id (by hand, or by an older director during a
 * rolling upgrade) takes one whole block of 50 ids for itself and can never collide with the ids a director hands out.
 */
public class V8__Id_sequences extends BaseJavaMigration {

    /** The tables of the entities that extend BaseEntity; each one's sequence is Hibernate's implicit name, TABLE_seq. */
    static final List<String> TABLES = List.of("cluster", "director", "vrrp_instance", "virtual_server", "real_server", "app_user");

    /** The sequences' INCREMENT BY: Hibernate's allocation size (the JPA default, 50). */
    static final int ALLOCATION = 50;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        try (Statement st = c.createStatement()) {
            for (String table : TABLES) {
                String seq = table + "_seq";
                long max;
                try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + table)) {
                    rs.next();
                    max = rs.getLong(1);
                }
                st.execute("CREATE SEQUENCE " + seq + " START WITH " + start(max) + " INCREMENT BY " + ALLOCATION);
                st.execute("ALTER TABLE " + table + " ALTER COLUMN id DROP IDENTITY");
                st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET DEFAULT "
                        + (postgres ? "nextval('" + seq + "')" : "NEXT VALUE FOR " + seq));
            }
        }
    }

    /** The sequence's first value for a table whose largest id is {@code max} (0: empty). */
    static long start(long max) {
        return max == 0 ? 1 : max + ALLOCATION;
    }
}
