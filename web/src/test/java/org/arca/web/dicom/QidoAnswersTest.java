package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.arca.core.TestDatabases;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a QIDO-RS answer is: each match carries its RetrieveURL under the root the search came through, and
 * the answer is DICOM JSON only when the Accept header allows it (else 406, never a type not asked for).
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class QidoAnswersTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.77.1";
    static final String SERIES = STUDY + ".1";
    static final String INSTANCE = SERIES + ".1";
    static TestServer server;
    static String folder;

    @Parameter
    TestDatabases.Kind kind;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        HttpTestClient alice = server.as("alice");
        String collection = alice.post("/api/v1/collections", "{\"name\":\"Answers\"}").json().get("id").asText();
        folder = alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":\"scans\"}").json().get("id").asText();
        assertThat(alice.putBytes("/api/v1/folders/" + folder + "/files/a.dcm",
                new SyntheticInstance(STUDY, SERIES, INSTANCE, "Url^Ann", "URL-1", "20260102", "CT", 1).bytes(),
                "application/dicom").status()).isEqualTo(201);
        putMixedStudy(alice);
    }

    /** A study whose two instances disagree on the patient's name, as damaged or merged studies do. */
    static final String MIXED = "1.2.826.0.1.3680043.10.77.2";

    static void putMixedStudy(HttpTestClient alice) {
        for (int i = 1; i <= 2; i++) {
            assertThat(alice.putBytes("/api/v1/folders/" + folder + "/files/mixed" + i + ".dcm",
                    new SyntheticInstance(MIXED, MIXED + "." + i, MIXED + "." + i + ".1", i == 1 ? "First^Name" : "Second^Name",
                            "URL-2", "20260103", i == 1 ? "CT" : "MR", 1).bytes(), "application/dicom").status()).isEqualTo(201);
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void everyMatchCarriesItsRetrieveUrlUnderTheRootOfTheSearch() {
        for (String root : List.of("/dicom-web", "/dicom-web/folders/" + folder)) {
            String base = server.base() + root;
            assertThat(retrieveUrl(root + "/studies?PatientID=URL-1")).isEqualTo(base + "/studies/" + STUDY);
            assertThat(retrieveUrl(root + "/series?PatientID=URL-1")).isEqualTo(base + "/studies/" + STUDY + "/series/" + SERIES);
            assertThat(retrieveUrl(root + "/studies/" + STUDY + "/series")).isEqualTo(base + "/studies/" + STUDY + "/series/" + SERIES);
            String instanceUrl = base + "/studies/" + STUDY + "/series/" + SERIES + "/instances/" + INSTANCE;
            assertThat(retrieveUrl(root + "/instances?PatientID=URL-1")).isEqualTo(instanceUrl);
            assertThat(retrieveUrl(root + "/studies/" + STUDY + "/series/" + SERIES + "/instances")).isEqualTo(instanceUrl);
            // The URL is one WADO-RS answers.
            HttpTestClient.Response retrieved = server.as("alice").get(instanceUrl.substring(server.base().length()));
            assertThat(retrieved.status()).isEqualTo(200);
            assertThat(retrieved.header("Content-Type")).startsWith("multipart/related");
        }
    }

    private static String retrieveUrl(String path) {
        HttpTestClient.Response answer = server.as("alice").get(path);
        assertThat(answer.status()).as(path).isEqualTo(200);
        JsonNode match = answer.json().get(0);
        assertThat(match.at("/00081190/vr").asText()).isEqualTo("UR");
        return match.at("/00081190/Value/0").asText();
    }

    @Test
    void aStudyMatchedThroughOneInstanceDescribesAllItsInstances() {
        for (String query : List.of("PatientName=First*", "PatientName=First*&ModalitiesInStudy=CT", "PatientID=URL-2&ModalitiesInStudy=MR",
                "ModalitiesInStudy=XA%5CMR&StudyDate=20260103")) {
            JsonNode answer = server.as("alice").get("/dicom-web/studies?" + query).json();
            assertThat(answer).as(query).hasSize(1);
            assertThat(answer.at("/0/0020000D/Value/0").asText()).isEqualTo(MIXED);
            assertThat(answer.at("/0/00201208/Value/0").asText()).as(query).isEqualTo("2");
            assertThat(answer.at("/0/00201206/Value/0").asText()).as(query).isEqualTo("2");
            assertThat(answer.at("/0/00080061/Value").toString()).as(query).isEqualTo("[\"CT\",\"MR\"]");
        }
        assertThat(server.as("alice").get("/dicom-web/studies?PatientID=URL-2&ModalitiesInStudy=US").json()).isEmpty();
        assertThat(server.as("alice").get("/dicom-web/studies?PatientID=URL-2&ModalitiesInStudy=US&offset=3")
                .header("X-Total-Count")).isEqualTo("0");
        assertThat(server.as("alice").get("/dicom-web/studies?PatientID=URL-2&ModalitiesInStudy=MR&offset=3")
                .header("X-Total-Count")).isEqualTo("1");
    }

    @Test
    void dicomJsonIsSentOnlyToAnAcceptThatAllowsIt() {
        for (String path : List.of("/dicom-web/studies?PatientID=URL-1", "/dicom-web/studies/" + STUDY + "/metadata",
                "/dicom-web/studies/" + STUDY + "/series/" + SERIES + "/instances/" + INSTANCE + "/metadata")) {
            assertThat(type(path, null)).isEqualTo("application/dicom+json");
            assertThat(type(path, "*/*")).isEqualTo("application/dicom+json");
            assertThat(type(path, "application/*")).isEqualTo("application/dicom+json");
            assertThat(type(path, "application/dicom+json")).isEqualTo("application/dicom+json");
            assertThat(type(path, "application/json")).isEqualTo("application/json");
            assertThat(type(path, "application/json, application/dicom+json")).isEqualTo("application/dicom+json");
            assertThat(type(path, "application/dicom+json;q=0.5, application/json")).isEqualTo("application/json");
            assertThat(type(path, "application/dicom+xml, application/dicom+json; q=0.2")).isEqualTo("application/dicom+json");
            assertThat(type(path, "text/html, */*;q=0.1")).isEqualTo("application/dicom+json");

            notAcceptable(path, "application/dicom+xml", "DICOM XML");
            notAcceptable(path, "multipart/related; type=\"application/dicom+xml\"", "DICOM XML");
            notAcceptable(path, "text/html", "application/dicom+json");
            notAcceptable(path, "application/dicom+json;q=0", "application/dicom+json");
            notAcceptable(path, "*/*, application/dicom+json;q=0, application/json;q=0", "application/dicom+json");
        }
    }

    private static String type(String path, String accept) {
        HttpTestClient client = server.as("alice");
        if (accept != null) {
            client.header("Accept", accept);
        }
        HttpTestClient.Response answer = client.get(path);
        assertThat(answer.status()).as(path + " Accept: " + accept).isEqualTo(200);
        assertThat(answer.json().isArray()).isTrue();
        return answer.header("Content-Type").split(";")[0].strip();
    }

    private static void notAcceptable(String path, String accept, String mentioned) {
        HttpTestClient.Response answer = server.as("alice").header("Accept", accept).get(path);
        assertThat(answer.status()).as(path + " Accept: " + accept).isEqualTo(406);
        assertThat(answer.error()).isEqualTo("not_acceptable");
        assertThat(answer.json().get("message").asText()).contains(mentioned);
    }
}
