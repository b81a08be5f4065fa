package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import org.arca.core.TestDatabases;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditEntry;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the audit log shows of DICOM reads: one entry per request, on the study, as before core made the entry; a
 * caller who may not read the study gets "not found" and leaves no entry.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class DicomReadAuditTest {
    private static final String DICOM = "multipart/related; type=application/dicom; boundary=";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static int studies;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("dana");
        server.user("eve");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    /** A study of one instance in a collection of Dana's; returns the instance's WADO-RS path. */
    private static String stored(String study) {
        HttpTestClient dana = server.as("dana");
        String folder = dana.post("/api/v1/collections", "{\"name\":" + q("Audit " + study) + "}").json().get("id").asText();
        byte[] instance = new SyntheticInstance(study, study + ".1", study + ".1.1", "Audit^Dana", "P" + study, "20260701",
                "CT", 1).bytes();
        String boundary = "b" + System.nanoTime();
        HttpTestClient.Response stowed = dana.send("POST", "/dicom-web/folders/" + folder + "/studies",
                DicomWebTestSupport.multipart(boundary, instance), DICOM + boundary);
        assertThat(stowed.status()).as(stowed.toString()).isEqualTo(200);
        return "/dicom-web/studies/" + study + "/series/" + study + ".1/instances/" + study + ".1.1";
    }

    private static java.util.List<AuditEntry> entries(String login, String study, String action) {
        return server.repo().audit().query(Caller.SYSTEM, login, study, action, 10, 0).entries();
    }

    @Test
    void aRetrievalIsOneEntryOnTheStudy() {
        String study = "1.2.826.0.1.3680043.10.77." + kind.ordinal() + "." + (++studies);
        String instance = stored(study);

        assertThat(server.as("dana").get(instance).status()).isEqualTo(200);
        assertThat(server.as("dana").get(instance + "/metadata").status()).isEqualTo(200);

        assertThat(entries("dana", study, "dicom.retrieve")).hasSize(2)
                .allSatisfy(e -> assertThat(e.resourceType()).isEqualTo("study"))
                .allSatisfy(e -> assertThat(e.detail()).isEqualTo("instances=1 series=" + study + ".1"));
    }

    @Test
    void aRenderedImageIsOneEntryOnTheStudy() {
        String study = "1.2.826.0.1.3680043.10.77." + kind.ordinal() + "." + (++studies);
        String instance = stored(study);

        assertThat(server.as("dana").get(instance + "/rendered").status()).isEqualTo(200);

        assertThat(entries("dana", study, "dicom.pixels")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("instance=" + study + ".1.1"));
    }

    @Test
    void aCallerWhoMayNotReadTheStudyLeavesNoEntry() {
        String study = "1.2.826.0.1.3680043.10.77." + kind.ordinal() + "." + (++studies);
        String instance = stored(study);

        assertThat(server.as("eve").get(instance).status()).isEqualTo(404);
        assertThat(server.as("eve").get(instance + "/rendered").status()).isEqualTo(404);

        assertThat(entries("eve", study, null)).isEmpty();
    }
}
