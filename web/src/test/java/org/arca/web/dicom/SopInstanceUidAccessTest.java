package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
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
 * One SOP Instance UID in folders of users who cannot read each other's: neither learns of the other's instance
 * nor blocks it, a reader of both gets the copy stored first under {@code /dicom-web} and the folder's own under
 * {@code /dicom-web/folders/{folder}}, identical re-uploads store nothing new, and a different instance under a UID
 * the caller can already read is refused as a duplicate.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class SopInstanceUidAccessTest {
    private static final String DICOM = "multipart/related; type=application/dicom; boundary=";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static int fixtures;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        for (String login : new String[] {"alice", "bob", "carol"}) {
            server.user(login);
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    /** Alice's and Bob's folders, each readable by its owner and Carol only, and a UID unused so far. */
    record Fixture(String study, String series, String sop, String aliceFolder, String bobFolder, String carolFolder) {
        /** An instance under the fixture's UIDs; the number tells copies apart (patient, pixels). */
        byte[] instance(String patientId, int number) {
            return new SyntheticInstance(study, series, sop, "Copy^" + patientId, patientId, "20260701", "CT", number).bytes();
        }

        String path(String root) {
            return root + "/studies/" + study + "/series/" + series + "/instances/" + sop;
        }
    }

    static Fixture fixture() {
        int n = ++fixtures;
        String study = "1.2.826.0.1.3680043.10.24." + n;
        return new Fixture(study, study + ".1", study + ".1.1", folder("alice", n), folder("bob", n), folder("carol", n));
    }

    static String folder(String owner, int n) {
        HttpTestClient client = server.as(owner);
        String folder = client.post("/api/v1/collections", "{\"name\":" + q(owner + " " + n) + "}").json().get("id").asText();
        if (!owner.equals("carol")) {
            HttpTestClient.Response shared = client.put("/api/v1/folders/" + folder + "/acl",
                    "{\"entries\":[{\"principal\":\"user:" + owner + "\",\"level\":\"ADMIN\"},"
                            + "{\"principal\":\"user:carol\",\"level\":\"READ\"}]}");
            assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
        }
        return folder;
    }

    static HttpTestClient.Response stow(String login, String folder, byte[] instance) {
        String boundary = "b" + System.nanoTime();
        return server.as(login).send("POST", "/dicom-web/folders/" + folder + "/studies",
                DicomWebTestSupport.multipart(boundary, instance), DICOM + boundary);
    }

    static int failureReason(HttpTestClient.Response answer) {
        return answer.json().at("/00081198/Value/0/00081197/Value/0").asInt();
    }

    static String patientId(JsonNode dataset) {
        return dataset.path("00100020").path("Value").path(0).asText();
    }

    static int children(String login, String folder) {
        return server.as(login).get("/api/v1/folders/" + folder + "/children").json().get("total").asInt();
    }

    /** The id of the one item in a folder. */
    static String onlyItem(String login, String folder) {
        JsonNode listed = server.as(login).get("/api/v1/folders/" + folder + "/children").json();
        assertThat(listed.get("total").asInt()).isEqualTo(1);
        return listed.findValues("items").get(0).get(0).get("id").asText();
    }

    @Test
    void aUidStoredWhereTheCallerCannotReadNeitherRefusesNorRevealsTheirStore() {
        Fixture f = fixture();
        HttpTestClient.Response alices = stow("alice", f.aliceFolder(), f.instance("ALICE", 1));
        assertThat(alices.status()).as(alices.toString()).isEqualTo(200);

        // Bob's own instance under that UID, in his own folder: stored, and the answer says nothing of Alice's.
        HttpTestClient.Response bobs = stow("bob", f.bobFolder(), f.instance("BOB", 2));
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(200);
        assertThat(bobs.header("Warning")).isNull();
        // The same bytes as Alice's (he got the same file) are stored as his too.
        Fixture g = fixture();
        stow("alice", g.aliceFolder(), g.instance("SAME", 1));
        assertThat(stow("bob", g.bobFolder(), g.instance("SAME", 1)).status()).isEqualTo(200);
        assertThat(children("bob", g.bobFolder())).isEqualTo(1);

        // Each sees exactly their own, under every root and route.
        for (String[] who : new String[][] {{"alice", "ALICE", f.aliceFolder()}, {"bob", "BOB", f.bobFolder()}}) {
            HttpTestClient client = server.as(who[0]);
            JsonNode found = client.get("/dicom-web/instances?SOPInstanceUID=" + f.sop()).json();
            assertThat(found).as(who[0]).hasSize(1);
            assertThat(patientId(found.get(0))).isEqualTo(who[1]);
            JsonNode study = client.get("/dicom-web/studies?StudyInstanceUID=" + f.study()).json();
            assertThat(study.get(0).at("/00201208/Value/0").asInt()).as("instances in %s's study", who[0]).isEqualTo(1);
            for (String root : new String[] {"/dicom-web", "/dicom-web/folders/" + who[2]}) {
                JsonNode metadata = client.get(f.path(root) + "/metadata").json();
                assertThat(metadata).hasSize(1);
                assertThat(patientId(metadata.get(0))).isEqualTo(who[1]);
            }
        }
        assertThat(server.as("bob").get(f.path("/dicom-web/folders/" + f.aliceFolder()) + "/metadata").status()).isEqualTo(404);
    }

    @Test
    void aReaderOfSeveralCopiesGetsTheFirstStoredOrTheFoldersOwn() {
        Fixture f = fixture();
        byte[] alices = f.instance("ALICE", 1);
        byte[] bobs = f.instance("BOB", 2);
        assertThat(stow("alice", f.aliceFolder(), alices).status()).isEqualTo(200);
        assertThat(stow("bob", f.bobFolder(), bobs).status()).isEqualTo(200);
        // Item ids begin with their creation time; within one millisecond the rest of the id decides, as documented.
        boolean alicesFirst = onlyItem("alice", f.aliceFolder()).compareTo(onlyItem("bob", f.bobFolder())) < 0;
        String first = alicesFirst ? "ALICE" : "BOB";
        byte[] firstBytes = alicesFirst ? alices : bobs;

        assertThat(frame("alice", f.path("/dicom-web"))).as("the copies' pixels differ").isNotEqualTo(frame("bob", f.path("/dicom-web")));
        HttpTestClient carol = server.as("carol");
        JsonNode found = carol.get("/dicom-web/instances?SOPInstanceUID=" + f.sop()).json();
        assertThat(found).hasSize(1);
        assertThat(patientId(found.get(0))).isEqualTo(first);
        JsonNode studies = carol.get("/dicom-web/studies?StudyInstanceUID=" + f.study()).json();
        assertThat(studies).hasSize(1);
        assertThat(studies.get(0).at("/00201208/Value/0").asInt()).as("NumberOfStudyRelatedInstances").isEqualTo(1);
        JsonNode series = carol.get("/dicom-web/studies/" + f.study() + "/series").json().get(0);
        assertThat(series.at("/00201209/Value/0").asInt()).as("NumberOfSeriesRelatedInstances").isEqualTo(1);
        JsonNode metadata = carol.get("/dicom-web/studies/" + f.study() + "/metadata").json();
        assertThat(metadata).hasSize(1);
        assertThat(patientId(metadata.get(0))).isEqualTo(first);
        HttpTestClient.Response retrieved = server.as("carol").get(f.path("/dicom-web"));
        assertThat(retrieved.status()).isEqualTo(200);
        assertThat(parts(retrieved)).as("parts of the instance retrieval").isEqualTo(1);
        assertThat(indexOf(retrieved.body(), firstBytes)).isPositive();
        assertThat(frame("carol", f.path("/dicom-web"))).isEqualTo(frame(alicesFirst ? "alice" : "bob", f.path("/dicom-web")));

        // A folder's root narrows to that folder's copy.
        for (String[] folder : new String[][] {{f.aliceFolder(), "ALICE", "alice"}, {f.bobFolder(), "BOB", "bob"}}) {
            String root = "/dicom-web/folders/" + folder[0];
            assertThat(patientId(carol.get(root + "/instances?SOPInstanceUID=" + f.sop()).json().get(0))).isEqualTo(folder[1]);
            assertThat(patientId(carol.get(f.path(root) + "/metadata").json().get(0))).isEqualTo(folder[1]);
            assertThat(frame("carol", f.path(root))).isEqualTo(frame(folder[2], f.path(root)));
        }
    }

    @Test
    void anIdenticalReuploadStoresNothingNewAndADifferentReadableInstanceIsADuplicate() {
        Fixture f = fixture();
        byte[] alices = f.instance("ALICE", 1);
        assertThat(stow("alice", f.aliceFolder(), alices).status()).isEqualTo(200);
        HttpTestClient.Response again = stow("alice", f.aliceFolder(), alices);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().at("/00081199/Value")).hasSize(1);
        assertThat(children("alice", f.aliceFolder())).isEqualTo(1);

        HttpTestClient.Response other = stow("alice", f.aliceFolder(), f.instance("OTHER", 3));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(failureReason(other)).isEqualTo(0x0111);
        // Carol reads Alice's copy, so hers elsewhere is refused too: she sees what it clashes with.
        HttpTestClient.Response carols = stow("carol", f.carolFolder(), f.instance("CAROL", 4));
        assertThat(carols.status()).as(carols.toString()).isEqualTo(409);
        assertThat(failureReason(carols)).isEqualTo(0x0111);
        assertThat(patientId(server.as("alice").get(f.path("/dicom-web") + "/metadata").json().get(0))).isEqualTo("ALICE");

        // The same bytes into a second project's folder: stored there, so that folder's readers see them.
        HttpTestClient.Response shared = stow("carol", f.carolFolder(), alices);
        assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
        assertThat(children("carol", f.carolFolder())).isEqualTo(1);
        assertThat(server.as("carol").get(f.path("/dicom-web/folders/" + f.carolFolder()) + "/metadata").status()).isEqualTo(200);
        assertThat(server.as("carol").get("/dicom-web/instances?SOPInstanceUID=" + f.sop()).json()).hasSize(1);
    }

    /** The first frame's bytes as {@code frames/1} sends them, without the multipart framing (its boundary is random). */
    private static String frame(String login, String instancePath) {
        HttpTestClient.Response r = server.as(login).get(instancePath + "/frames/1");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String text = new String(r.body(), StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4, text.lastIndexOf("\r\n--"));
    }

    private static int parts(HttpTestClient.Response multipart) {
        String text = new String(multipart.body(), StandardCharsets.ISO_8859_1);
        return text.split("Content-Type: application/dicom", -1).length - 1;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
