package org.arca.web.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arca.core.TestDatabases;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** A lone '*' in a QIDO-RS key matches every study, those whose attribute is empty or absent included. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class UniversalMatchTest {
    static final String WITH = "1.2.826.0.1.3680043.10.88.1";
    static final String WITHOUT = "1.2.826.0.1.3680043.10.88.2";
    static TestServer server;
    static HttpTestClient alice;

    @Parameter
    TestDatabases.Kind kind;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
        String folder = alice.post("/api/v1/collections", "{\"name\":\"Universal\"}").json().get("id").asText();
        put(folder, "with.dcm", new SyntheticInstance(WITH, WITH + ".1", WITH + ".1.1", "Star^Ann", "UNI-1", "20260101", "CT", 1)
                .bytes());
        Attributes without = new SyntheticInstance(WITHOUT, WITHOUT + ".1", WITHOUT + ".1.1", "Star^Bo", "UNI-2", "20260101",
                "CT", 1).dataset();
        without.remove(Tag.AccessionNumber);
        put(folder, "without.dcm", TestDicom.part10(without, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static void put(String folder, String name, byte[] bytes) {
        assertThat(alice.putBytes("/api/v1/folders/" + folder + "/files/" + name, bytes, "application/dicom").status())
                .isEqualTo(201);
    }

    @Test
    void aLoneStarMatchesAbsentValuesAndAPatternDoesNot() {
        assertThat(studies("AccessionNumber=*")).containsExactlyInAnyOrder(WITH, WITHOUT);
        assertThat(studies("AccessionNumber=**")).containsExactlyInAnyOrder(WITH, WITHOUT);
        assertThat(studies("AccessionNumber=ACC*")).containsExactly(WITH);
        assertThat(studies("StudyInstanceUID=*")).containsExactlyInAnyOrder(WITH, WITHOUT);
    }

    private static List<String> studies(String query) {
        HttpTestClient.Response answer = alice.get("/dicom-web/studies?PatientID=UNI-*&" + query);
        assertThat(answer.status()).as(query).isEqualTo(200);
        return answer.json().findValues("0020000D").stream().map(n -> n.get("Value").get(0).asText()).toList();
    }
}
