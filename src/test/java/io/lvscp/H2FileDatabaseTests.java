package io.lvscp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.ClusterService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/** The default database is an H2 file under ./data/: what was written survives a restart. */
class H2FileDatabaseTests {

    @Test
    void theDefaultDatabaseIsAFileUnderData() throws java.io.IOException {
        String yml = new String(new org.springframework.core.io.ClassPathResource("application.yml").getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(yml).contains("url: jdbc:h2:file:./data/lvscp");
    }

    @Test
    void dataSurvivesARestart(@TempDir Path dir) {
        String url = "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("lvscp");
        try (ConfigurableApplicationContext first = start("--server.port=0", url)) {
            first.getBean(ClusterService.class).create(new ClusterRequest("wtc", "survives", null));
        }
        try (ConfigurableApplicationContext second = start("--server.port=0", url)) {
            TransactionTemplate tx = second.getBean(TransactionTemplate.class);
            String description = tx.execute(s -> second.getBean(ClusterService.class).get("wtc").description());
            assertThat(description).isEqualTo("survives");
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(LvsControlPlaneApplication.class)
                .properties("lvs.dataplane=dry-run", "lvs.node-name=h2-file-test")
                .run(args);
    }
}
