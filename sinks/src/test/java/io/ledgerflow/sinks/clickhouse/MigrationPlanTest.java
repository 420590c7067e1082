package io.ledgerflow.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {

    private static final Migration V1 = Migration.of("V1__tables.sql", "CREATE TABLE a (x UInt8);");
    private static final Migration V2 = Migration.of("V2__more.sql", "CREATE TABLE b (x UInt8);");
    private static final Migration V10 = Migration.of("V10__late.sql", "SELECT 1");

    @Test
    void pendingMigrationsRunInNumericVersionOrder() {
        assertThat(MigrationPlan.pending(List.of(V10, V2, V1), Map.of()))
                .extracting(Migration::version)
                .containsExactly(1, 2, 10);
    }

    @Test
    void appliedMigrationsAreSkipped() {
        assertThat(MigrationPlan.pending(List.of(V1, V2), Map.of(1, V1.checksum())))
                .containsExactly(V2);
        assertThat(
                        MigrationPlan.pending(
                                List.of(V1, V2), Map.of(1, V1.checksum(), 2, V2.checksum())))
                .isEmpty();
    }

    @Test
    void anEditedAppliedMigrationIsRefused() {
        Migration edited = Migration.of("V1__tables.sql", "CREATE TABLE a (x UInt16);");
        assertThatThrownBy(() -> MigrationPlan.pending(List.of(edited), Map.of(1, V1.checksum())))
                .hasMessageContaining("changed after it was applied");
    }

    @Test
    void aDatabaseNewerThanTheBuildIsRefused() {
        assertThatThrownBy(() -> MigrationPlan.pending(List.of(V1), Map.of(7, "abc")))
                .hasMessageContaining("V7");
    }

    @Test
    void twoFilesWithOneVersionAreRefused() {
        assertThatThrownBy(
                        () ->
                                MigrationPlan.pending(
                                        List.of(V1, Migration.of("V1__other.sql", "SELECT 2")),
                                        Map.of()))
                .hasMessageContaining("two migrations with version 1");
    }

    @Test
    void badFileNamesAreRefused() {
        assertThatThrownBy(() -> Migration.of("1_tables.sql", "SELECT 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statementsSplitAtLineEndingSemicolonsIgnoringComments() {
        Migration m =
                Migration.of(
                        "V3__two.sql",
                        "-- first; not a split\nCREATE TABLE a\n(x String DEFAULT 'a;b');\n\n"
                                + "CREATE TABLE b (y UInt8);\n");
        assertThat(m.statements())
                .containsExactly(
                        "CREATE TABLE a\n(x String DEFAULT 'a;b')", "CREATE TABLE b (y UInt8)");
    }

    @Test
    void checksumIgnoresLineEndings() {
        assertThat(Migration.of("V1__a.sql", "SELECT 1;\r\nSELECT 2;").checksum())
                .isEqualTo(Migration.of("V1__a.sql", "SELECT 1;\nSELECT 2;").checksum());
    }

    @Test
    void shippedMigrationsLoadFromTheClassPath() {
        List<Migration> shipped = ClickHouseMigrations.load(ClickHouseMigrations.LOCATION);
        assertThat(shipped).extracting(Migration::version).contains(1);
        assertThat(MigrationPlan.pending(shipped, Map.of())).hasSameSizeAs(shipped);
    }
}
