package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.arca.core.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST side of SFTP: registering public keys and telling users how to connect. */
class SftpApiTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2, c -> c,
                w -> w.withSftp(new SftpInfo(2222, "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")));
        server.user("alice");
        server.user("bob");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUserRegistersListsAndRemovesTheirKeys() {
        String line = TestKeys.newLine() + " alice@laptop";
        HttpTestClient alice = server.as("alice");
        HttpTestClient.Response created = alice.post("/api/v1/users/me/keys", "{\"key\":\"" + line + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("alice@laptop");
        assertThat(created.json().get("fingerprint").asText()).startsWith("SHA256:");
        assertThat(created.json().get("type").asText()).isEqualTo("ecdsa-sha2-nistp256");
        String id = created.json().get("id").asText();

        assertThat(alice.post("/api/v1/users/me/keys", "{\"key\":\"" + line + "\"}").status()).isEqualTo(409);
        assertThat(alice.get("/api/v1/users/me/keys").text()).contains(id).contains("alice@laptop");
        assertThat(server.as("bob").get("/api/v1/users/me/keys").text()).doesNotContain(id);
        assertThat(server.as("bob").delete("/api/v1/users/me/keys/" + id).status()).isEqualTo(404);
        assertThat(alice.delete("/api/v1/users/me/keys/" + id).status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/users/me/keys").text()).doesNotContain(id);
    }

    @Test
    void somethingThatIsNotAKeyIsRefusedClearly() {
        HttpTestClient alice = server.as("alice");
        for (String bad : new String[] {"hello", "ssh-ed25519 notbase64!!", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ", ""}) {
            HttpTestClient.Response r = alice.post("/api/v1/users/me/keys", "{\"key\":\"" + bad + "\"}");
            assertThat(r.status()).as(bad + " " + r).isEqualTo(400);
        }
        HttpTestClient.Response r = alice.post("/api/v1/users/me/keys", "{\"key\":\"hello\"}");
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_key");
        assertThat(alice.get("/api/v1/users/me/keys").json().get("keys").size()).isZero();
    }

    @Test
    void thePortalLearnsWhereToConnect() {
        HttpTestClient.Response info = server.as("alice").get("/api/v1/sftp");
        assertThat(info.json().get("enabled").asBoolean()).isTrue();
        assertThat(info.json().get("port").asInt()).isEqualTo(2222);
        assertThat(info.json().get("hostKeyFingerprint").asText()).startsWith("SHA256:");
        assertThat(info.json().get("command").asText()).isEqualTo("sftp -P 2222 alice@127.0.0.1");
        assertThat(server.anonymous().get("/api/v1/sftp").status()).isEqualTo(401);
    }
}
