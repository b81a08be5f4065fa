package org.arca.web.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.arca.core.Eventually;
import org.arca.core.TestDatabases;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance's WADO-RS metadata is made when it is stored, before any viewer asks: the first look at a series
 * is then a read of made metadata, not a parse of every instance. What is served is the same either way.
 */
class MetadataAheadTest {
    static TestServer server;
    static HttpTestClient alice;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2);
        server.user("alice");
        alice = server.as("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void metadataIsMadeWhenAnInstanceIsStored() throws Exception {
        String study = "2.25." + (UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        byte[] instance = new SyntheticInstance(study, study + ".1", study + ".1.1", "Ahead^Ann", "A-1", "20240101", "CT", 1)
                .bytes();
        String boundary = UUID.randomUUID().toString();
        HttpTestClient.Response stored = alice.send("POST", "/dicom-web/studies",
                DicomWebTestSupport.multipart(boundary, instance), "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(instance));
        Path made = server.fixture().dataDir().resolve("cache").resolve("dicom-metadata").resolve("v1")
                .resolve(sha.substring(0, 2)).resolve(sha + ".json");
        // No metadata request has been made: only the store can have made it.
        Eventually.until("the instance's metadata made ahead", () -> Files.exists(made));
        assertThat(Files.readString(made)).contains(study + ".1.1");

        HttpTestClient.Response metadata = server.as("alice").header("Accept", "application/dicom+json")
                .get("/dicom-web/studies/" + study + "/series/" + study + ".1/metadata");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().get(0).get("00080018").get("Value").get(0).asText()).isEqualTo(study + ".1.1");
    }
}
