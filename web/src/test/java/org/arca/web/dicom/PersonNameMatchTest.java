package org.arca.web.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arca.core.TestDatabases;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Person names match case-insensitively by default, wildcards included, as in Orthanc and dcm4chee: a viewer
 * user typing {@code smith} finds {@code SMITH^JOHN}. {@code casesensitivematching=true} matches exactly.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class PersonNameMatchTest {
    static final String SMITH = "1.2.826.0.1.3680043.10.66.1";
    static final String SMITHERS = "1.2.826.0.1.3680043.10.66.2";
    static final String MULLER = "1.2.826.0.1.3680043.10.66.3";
    static TestServer server;
    static HttpTestClient alice;

    @Parameter
    TestDatabases.Kind kind;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
        String folder = alice.post("/api/v1/collections", "{\"name\":\"Names\"}").json().get("id").asText();
        put(folder, SMITH, "SMITH^JOHN", "JONES^BOB");
        put(folder, SMITHERS, "Smithers^Ann", "Jonas^Eve");
        put(folder, MULLER, "MÜLLER^ANNA", null);
    }

    static void put(String folder, String study, String name, String referring) {
        Attributes ds = new SyntheticInstance(study, study + ".1", study + ".1.1", name, "PN-" + study.substring(study.length() - 1),
                "20260101", "CT", 1).dataset();
        if (referring != null) {
            ds.setString(Tag.ReferringPhysicianName, VR.PN, referring);
        }
        assertThat(alice.putBytes("/api/v1/folders/" + folder + "/files/" + study + ".dcm",
                TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), "application/dicom").status()).isEqualTo(201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void patientNamesMatchWhateverTheCase() {
        assertThat(studies("PatientName=smith*")).containsExactlyInAnyOrder(SMITH, SMITHERS);
        assertThat(studies("PatientName=smith^john")).containsExactly(SMITH);
        assertThat(studies("PatientName=SMITHERS*")).containsExactly(SMITHERS);
        assertThat(studies("PatientName=s?ith^*")).containsExactly(SMITH);
        assertThat(studies("PatientName=*^ann*")).containsExactlyInAnyOrder(SMITHERS, MULLER);
        // Beyond ASCII too, one character for one: '?' stands for the Ü. Accents still count (fuzzymatching drops them).
        assertThat(studies("PatientName=müller^anna")).containsExactly(MULLER);
        assertThat(studies("PatientName=m?ller*")).containsExactly(MULLER);
        assertThat(studies("PatientName=muller*")).isEmpty();
        assertThat(studies("PatientName=muller*&fuzzymatching=true")).containsExactly(MULLER);
    }

    @Test
    void everyPersonNameKeyMatchesWhateverTheCase() {
        assertThat(studies("ReferringPhysicianName=jon*")).containsExactlyInAnyOrder(SMITH, SMITHERS);
        assertThat(studies("ReferringPhysicianName=jones^bob")).containsExactly(SMITH);
        assertThat(studies("00080090=JONAS*")).containsExactly(SMITHERS);
        assertThat(series("PatientName=smithers^ann")).containsExactly(SMITHERS + ".1");
    }

    @Test
    void caseSensitiveMatchingStaysAvailable() {
        assertThat(studies("PatientName=smith*&casesensitivematching=true")).isEmpty();
        assertThat(studies("PatientName=SMITH*&casesensitivematching=true")).containsExactly(SMITH);
        assertThat(studies("PatientName=Smith*&casesensitivematching=true")).containsExactly(SMITHERS);
        assertThat(studies("ReferringPhysicianName=jones^bob&casesensitivematching=true")).isEmpty();
        assertThat(studies("ReferringPhysicianName=JONES^BOB&casesensitivematching=true")).containsExactly(SMITH);
    }

    private static List<String> studies(String query) {
        return uids("/dicom-web/studies?PatientID=PN-*&" + query, "0020000D");
    }

    private static List<String> series(String query) {
        return uids("/dicom-web/series?PatientID=PN-*&" + query, "0020000E");
    }

    private static List<String> uids(String path, String tag) {
        HttpTestClient.Response answer = alice.get(path.replace("^", "%5E").replace("ü", "%C3%BC"));
        assertThat(answer.status()).as(path + " " + answer).isEqualTo(200);
        return answer.json().findValues(tag).stream().map(n -> n.get("Value").get(0).asText()).toList();
    }
}
