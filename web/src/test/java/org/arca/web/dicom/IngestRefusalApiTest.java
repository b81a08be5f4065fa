package org.arca.web.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.arca.core.IngestStep;
import org.arca.core.TestDatabases;
import org.arca.dicom.Tag;
import org.arca.dicomweb.ParsedHeader;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refusal by an ingest step reaches each HTTP surface's client in its own terms, with its reasons and nothing
 * stored: the REST API answers 422 with the list of reasons, STOW-RS a failed SOP with the reasons in its message.
 * The step judges STOW uploads by the header the DICOM step read, which shows the header reaches later steps.
 */
class IngestRefusalApiTest {
    private static final String DICOM = "multipart/related; type=\"application/dicom\"; boundary=";

    static TestServer server;
    static HttpTestClient alice;
    static String collection;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2);
        server.repo().ingest().addStep("test-rule", arrival -> {
            String patientId = arrival.facts().get(ParsedHeader.class)
                    .map(h -> h.file().dataset().getString(Tag.PatientID, "")).orElse("");
            if (patientId.equals("REFUSE-ME") || arrival.name().endsWith(".bad")) {
                return IngestStep.refuse("The upload breaks the collection's rule.",
                        List.of("(0010,0020) Patient ID does not match the subject code pattern"));
            }
            return IngestStep.accept();
        });
        server.user("alice");
        alice = server.as("alice");
        collection = alice.post("/api/v1/collections", "{\"name\":\"Rules\"}").json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void restUploadIsRefusedWith422AndItsReasons() {
        HttpTestClient.Response refused = alice.putBytes("/api/v1/folders/" + collection + "/files/notes.bad",
                "text".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(refused.status()).isEqualTo(422);
        JsonNode body = refused.json();
        assertThat(body.get("error").asText()).isEqualTo("refused");
        assertThat(body.get("reasons")).hasSize(1);
        assertThat(body.get("reasons").get(0).asText()).isEqualTo("(0010,0020) Patient ID does not match the subject code pattern");
        assertThat(alice.get("/api/v1/folders/" + collection + "/children").text()).doesNotContain("notes.bad");

        assertThat(alice.putBytes("/api/v1/folders/" + collection + "/files/notes.txt",
                "text".getBytes(StandardCharsets.UTF_8), "text/plain").status()).isEqualTo(201);
    }

    @Test
    void stowRefusesTheOneInstanceTheRuleRefusesAndStoresTheOther() {
        String study = "2.25." + (UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        byte[] refused = new SyntheticInstance(study, study + ".1", study + ".1.1", "Doe^Jane", "REFUSE-ME", "20240101", "CT", 1).bytes();
        byte[] kept = new SyntheticInstance(study, study + ".1", study + ".1.2", "Doe^Jane", "SUBJ-001", "20240101", "CT", 2).bytes();
        String boundary = UUID.randomUUID().toString();
        HttpTestClient.Response answer = server.as("alice").header("Accept", "application/dicom+json").send("POST",
                "/dicom-web/folders/" + collection + "/studies", DicomWebTestSupport.multipart(boundary, refused, kept),
                DICOM + boundary);
        assertThat(answer.status()).isEqualTo(202);
        JsonNode failed = answer.json().get("00081198").get("Value");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("00081155").get("Value").get(0).asText()).isEqualTo(study + ".1.1");
        assertThat(failed.get(0).get("00081197").get("Value").get(0).asInt()).isEqualTo(0x0110);
        assertThat(answer.header("Warning")).contains("Patient ID does not match the subject code pattern")
                .doesNotContain("REFUSE-ME");
        assertThat(answer.json().get("00081199").get("Value")).hasSize(1);

        JsonNode found = alice.get("/dicom-web/studies/" + study + "/instances").json();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("00080018").get("Value").get(0).asText()).isEqualTo(study + ".1.2");
    }
}
