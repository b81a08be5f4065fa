package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.arca.core.TestDatabases;
import org.arca.core.access.Role;
import org.junit.jupiter.api.Test;

/**
 * Who reads {@code /metrics} under each setting of {@code metrics}: by default administrators and a scraper with
 * the configured bearer token; everyone when public; nobody when off.
 */
class MetricsAccessTest {
    private static final String TOKEN = "scraper-token-0123456789abcdef";

    @Test
    void byDefaultOnlyAdministratorsAndTheScrapersTokenReadMetrics() {
        try (TestServer server = new TestServer(TestDatabases.Kind.H2, c -> c,
                w -> w.withMetrics(new MetricsAccess(MetricsAccess.Mode.ADMIN, TOKEN)))) {
            server.user("alice");
            server.user("root", Role.ADMIN);
            HttpTestClient.Response anonymous = server.anonymous().get("/metrics");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.error()).isEqualTo("unauthorized");
            assertThat(server.as("alice").get("/metrics").status()).isEqualTo(403);
            assertThat(server.anonymous().bearer(TOKEN + "x").get("/metrics").status()).isEqualTo(401);
            assertThat(server.anonymous().bearer(TOKEN.substring(1)).get("/metrics").status()).isEqualTo(401);
            HttpTestClient.Response admin = server.as("root").get("/metrics");
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.text()).contains("arca_blobstore_bytes");
            HttpTestClient.Response scraper = server.anonymous().bearer(TOKEN).get("/metrics");
            assertThat(scraper.status()).isEqualTo(200);
            assertThat(scraper.text()).contains("arca_blobstore_bytes");
        }
    }

    @Test
    void publicMetricsNeedNoCredentials() {
        try (TestServer server = new TestServer(TestDatabases.Kind.H2, c -> c,
                w -> w.withMetrics(MetricsAccess.parse("public", "")))) {
            assertThat(server.anonymous().get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void metricsTurnedOffAreNotThere() {
        try (TestServer server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withMetrics(MetricsAccess.parse("off", "")))) {
            server.user("root", Role.ADMIN);
            HttpTestClient.Response response = server.as("root").get("/metrics");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.error()).isEqualTo("not_found");
            assertThat(server.anonymous().get("/api/v1/openapi.json").text()).doesNotContain("\"/metrics\"");
        }
    }

    @Test
    void aShortTokenOrAnUnknownSettingIsRefused() {
        assertThatThrownBy(() -> MetricsAccess.parse("admin", "short")).hasMessageContaining("metrics-token")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> MetricsAccess.parse("everyone", "")).hasMessageContaining("admin, public or off");
    }
}
