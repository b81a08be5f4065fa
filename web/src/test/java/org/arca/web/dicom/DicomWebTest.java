package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.arca.core.Eventually;
import org.arca.core.TestDatabases;
import org.arca.dicom.TestDicom;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** QIDO-RS and WADO-RS over instances uploaded through the REST API, as a viewer and a second user see them. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class DicomWebTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;
    static HttpTestClient bob;
    static String trial;
    static String scratch;
    static String siteA;
    static String siteB;
    static String ctItem;
    static final String STUDY = "1.2.826.0.1.3680043.10.1.1";
    static final String CT_SERIES = "1.2.826.0.1.3680043.10.1.1.1";
    static final String MR_SERIES = "1.2.826.0.1.3680043.10.1.1.2";
    static final String OTHER_STUDY = "1.2.826.0.1.3680043.10.1.2";
    static byte[] firstCt;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        scratch = null;
        server.user("alice");
        server.user("bob");
        alice = server.as("alice");
        bob = server.as("bob");
        trial = alice.post("/api/v1/collections", "{\"name\":\"DICOM trial\"}").json().get("id").asText();
        siteA = folder("site A");
        siteB = folder("site B");
        for (int i = 1; i <= 3; i++) {
            byte[] bytes = new SyntheticInstance(STUDY, CT_SERIES, CT_SERIES + "." + i, "Müller^Hans", "PAT-1", "20260301", "CT", i).bytes();
            String id = put(siteA, "ct" + i + ".dcm", bytes);
            if (i == 1) {
                firstCt = bytes;
                ctItem = id;
            }
        }
        for (int i = 1; i <= 2; i++) {
            put(siteB, "mr" + i + ".dcm", new SyntheticInstance(STUDY, MR_SERIES, MR_SERIES + "." + i, "Müller^Hans", "PAT-1",
                    "20260301", "MR", i).bytes());
        }
        put(siteB, "other.dcm", new SyntheticInstance(OTHER_STUDY, OTHER_STUDY + ".1", OTHER_STUDY + ".1.1", "Doe^Jane", "PAT-2",
                "20250115", "CT", 1).bytes());
        put(siteB, "notes.txt", "not DICOM".getBytes(StandardCharsets.UTF_8));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static String folder(String name) {
        return folderIn(trial, name);
    }

    /** Folders of tests that add studies live outside the trial, so the trial's counts stay as set up. */
    static String scratchFolder(String name) {
        if (scratch == null) {
            scratch = alice.post("/api/v1/collections", "{\"name\":\"Scratch DICOM\"}").json().get("id").asText();
        }
        return folderIn(scratch, name);
    }

    static String folderIn(String parent, String name) {
        return alice.post("/api/v1/folders", "{\"parentId\":" + q(parent) + ",\"name\":" + q(name) + "}").json().get("id").asText();
    }

    static String put(String folder, String name, byte[] bytes) {
        HttpTestClient.Response r = alice.putBytes("/api/v1/folders/" + folder + "/files/" + name, bytes, "application/dicom");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static String value(JsonNode dataset, String tag) {
        JsonNode v = dataset.path(tag).path("Value").path(0);
        return v.isObject() ? v.path("Alphabetic").asText() : v.asText();
    }

    @Test
    void studiesAreFoundByTheKeysViewersSend() {
        HttpTestClient.Response all = alice.get("/dicom-web/studies");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("Content-Type")).startsWith("application/dicom+json");
        assertThat(all.header("X-Total-Count")).isEqualTo(Integer.toString(all.json().size()));
        assertThat(alice.get("/dicom-web/folders/" + trial + "/studies").header("X-Total-Count")).isEqualTo("2");
        JsonNode study = byUid(all.json(), STUDY);
        assertThat(value(study, "00100010")).isEqualTo("Müller^Hans");
        assertThat(value(study, "00201206")).isEqualTo("2");
        assertThat(value(study, "00201208")).isEqualTo("5");
        assertThat(study.at("/00080061/Value").toString()).isEqualTo("[\"CT\",\"MR\"]");

        assertThat(uids(alice.get("/dicom-web/studies?00100020=PAT-2"))).containsExactly(OTHER_STUDY);
        assertThat(uids(alice.get("/dicom-web/studies?PatientName=M*"))).containsExactly(STUDY);
        assertThat(uids(alice.get("/dicom-web/studies?PatientName=muller&fuzzymatching=true"))).containsExactly(STUDY);
        assertThat(uids(alice.get("/dicom-web/studies?PatientName=muller"))).isEmpty();
        assertThat(uids(alice.get("/dicom-web/folders/" + trial + "/studies?StudyDate=20260101-"))).containsExactly(STUDY);
        assertThat(uids(alice.get("/dicom-web/folders/" + trial + "/studies?StudyDate=-20251231"))).containsExactly(OTHER_STUDY);
        assertThat(uids(alice.get("/dicom-web/folders/" + trial + "/studies?ModalitiesInStudy=MR"))).containsExactly(STUDY);
        assertThat(uids(alice.get("/dicom-web/studies?StudyInstanceUID=" + STUDY + "%5C" + OTHER_STUDY))).hasSize(2);

        HttpTestClient.Response page = alice.get("/dicom-web/folders/" + trial + "/studies?limit=1&offset=1");
        assertThat(uids(page)).as("newest study first, so the second page holds the older").containsExactly(OTHER_STUDY);
        assertThat(page.header("X-Total-Count")).isEqualTo("2");
        HttpTestClient.Response pastTheEnd = alice.get("/dicom-web/folders/" + trial + "/studies?limit=1&offset=5");
        assertThat(pastTheEnd.json()).isEmpty();
        assertThat(pastTheEnd.header("X-Total-Count")).isEqualTo("2");
        assertThat(alice.get("/dicom-web/folders/" + trial + "/series?offset=50").header("X-Total-Count"))
                .isEqualTo(Integer.toString(alice.get("/dicom-web/folders/" + trial + "/series").json().size()));
        assertThat(alice.get("/dicom-web/studies?limit=100000000").header("Warning")).startsWith("299");
    }

    @Test
    void seriesAndInstancesAreListedInOrder() {
        JsonNode series = alice.get("/dicom-web/studies/" + STUDY + "/series").json();
        assertThat(series).hasSize(2);
        assertThat(series.findValues("00201209").stream().map(n -> n.path("Value").path(0).asText()).toList())
                .containsExactlyInAnyOrder("3", "2");
        JsonNode instances = alice.get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances").json();
        assertThat(instances).hasSize(3);
        assertThat(instances).extracting(i -> value(i, "00200013")).containsExactly("1", "2", "3");
        assertThat(alice.get("/dicom-web/instances?SOPInstanceUID=" + CT_SERIES + ".2").json()).hasSize(1);
    }

    @Test
    void includefieldAddsAttributesTheIndexDoesNotHold() {
        String path = "/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances";
        assertThat(alice.get(path).json().get(0).has("00280004")).isFalse();
        JsonNode instances = alice.get(path + "?includefield=PhotometricInterpretation,00280101").json();
        assertThat(instances).hasSize(3).allSatisfy(i -> {
            assertThat(value(i, "00280004")).isEqualTo("MONOCHROME2");
            assertThat(i.path("00280101").path("Value").path(0).asInt()).isEqualTo(12);
        });
        JsonNode repeated = alice.get("/dicom-web/studies?StudyInstanceUID=" + STUDY
                + "&includefield=PhotometricInterpretation&includefield=00280002").json();
        assertThat(value(repeated.get(0), "00280004")).isEqualTo("MONOCHROME2");
        assertThat(repeated.get(0).path("00280002").path("Value").path(0).asInt()).isEqualTo(1);
        JsonNode all = alice.get(path + "?includefield=all").json();
        assertThat(all.get(0).has("00280010")).isTrue();
        assertThat(all.get(0).has("7FE00010")).isFalse();
        HttpTestClient.Response unknown = alice.get("/dicom-web/studies?includefield=NoSuchAttribute");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asText()).contains("NoSuchAttribute");
    }

    @Test
    void badQueriesNameTheirParameter() {
        HttpTestClient.Response badUid = alice.get("/dicom-web/studies?StudyInstanceUID=1.2.abc");
        assertThat(badUid.status()).isEqualTo(400);
        assertThat(badUid.json().get("message").asText()).contains("StudyInstanceUID");
        HttpTestClient.Response badDate = alice.get("/dicom-web/studies?StudyDate=2026-03-01");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().get("message").asText()).contains("StudyDate");
        assertThat(alice.get("/dicom-web/studies?NoSuchKey=1").json().get("message").asText()).contains("NoSuchKey");
        assertThat(alice.get("/dicom-web/studies?SOPInstanceUID=1.2").status()).isEqualTo(400);
    }

    /** Group key → matches of a grouped search, once the index has caught up with the set-up. */
    private static Map<String, Long> groups(HttpTestClient client, String query) {
        server.repo().searchIndex().awaitQueued();
        HttpTestClient.Response r = client.get("/api/v1/search?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Long> found = new java.util.TreeMap<>();
        r.json().get("hits").forEach(hit -> found.put(hit.get("id").asText(), hit.get("matches").asLong()));
        assertThat(r.json().get("total").asLong()).as("total counts groups").isEqualTo(found.size());
        return found;
    }

    @Test
    void searchAnswersStudiesAndSeriesMadeOfTheInstancesTheCallerMayRead() {
        assertThat(groups(alice, "group=study&collection=" + trial)).isEqualTo(Map.of(STUDY, 5L, OTHER_STUDY, 1L));
        assertThat(groups(alice, "group=series&collection=" + trial))
                .isEqualTo(Map.of(CT_SERIES, 3L, MR_SERIES, 2L, OTHER_STUDY + ".1", 1L));
        assertThat(groups(alice, "group=study&modality=MR")).isEqualTo(Map.of(STUDY, 2L));
        assertThat(groups(alice, "group=study&q=" + java.net.URLEncoder.encode("patientid:PAT-2", StandardCharsets.UTF_8)))
                .isEqualTo(Map.of(OTHER_STUDY, 1L));
        JsonNode study = alice.get("/api/v1/search?group=study&modality=MR").json().get("hits").get(0);
        assertThat(study.get("kind").asText()).isEqualTo("study");
        assertThat(study.get("name").asText()).isEqualTo("Synthetic MR");
        assertThat(study.get("path").asText()).isEqualTo("DICOM trial/site B");
        // The files themselves stay one hit each; a folder or a text file is in no study.
        assertThat(alice.get("/api/v1/search?collection=" + trial).json().get("total").asLong()).isGreaterThan(6);

        // Another user's groups hold only the instances they may read, and appear when access is granted.
        assertThat(groups(bob, "group=study")).isEmpty();
        alice.put("/api/v1/folders/" + siteA + "/acl", "{\"entries\":[{\"principal\":\"user:bob\",\"level\":\"READ\"}]}");
        try {
            assertThat(groups(bob, "group=study")).isEqualTo(Map.of(STUDY, 3L));
            assertThat(groups(bob, "group=series")).isEqualTo(Map.of(CT_SERIES, 3L));
        } finally {
            alice.put("/api/v1/folders/" + siteA + "/acl", "{\"entries\":[]}");
        }
        assertThat(groups(bob, "group=study")).isEmpty();

        HttpTestClient.Response wrong = alice.get("/api/v1/search?group=patient");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).contains("invalid_group").contains("study or series");
    }

    @Test
    void aUserSeesOnlyWhatIsSharedAndCountsFollow() {
        assertThat(bob.get("/dicom-web/studies").json()).isEmpty();
        assertThat(bob.get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SERIES + ".1").status())
                .isEqualTo(404);
        alice.put("/api/v1/folders/" + siteA + "/acl", "{\"entries\":[{\"principal\":\"user:bob\",\"level\":\"READ\"}]}");
        try {
            JsonNode studies = bob.get("/dicom-web/studies").json();
            assertThat(studies).hasSize(1);
            assertThat(value(studies.get(0), "00201206")).isEqualTo("1");
            assertThat(value(studies.get(0), "00201208")).isEqualTo("3");
            assertThat(studies.get(0).at("/00080061/Value").toString()).isEqualTo("[\"CT\"]");
            assertThat(bob.get("/dicom-web/folders/" + siteA + "/studies").json()).hasSize(1);
            assertThat(bob.get("/dicom-web/folders/" + siteB + "/studies").status()).isEqualTo(404);
            assertThat(alice.get("/dicom-web/folders/" + siteB + "/studies").json()).hasSize(2);
        } finally {
            alice.put("/api/v1/folders/" + siteA + "/acl", "{\"entries\":[]}");
        }
    }

    @Test
    void anInstanceIsRetrievedAsStoredWithItsMetadataAndBulkData() {
        HttpTestClient.Response r = alice.header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                .get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SERIES + ".1");
        alice = server.as("alice");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("multipart/related").contains("application/dicom");
        assertThat(indexOf(r.body(), firstCt)).isGreaterThan(0);
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).contains("transfer-syntax=1.2.840.10008.1.2.1");

        HttpTestClient.Response jpeg = server.as("alice").header("Accept", "multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50")
                .get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SERIES + ".1");
        assertThat(jpeg.status()).isEqualTo(406);
        assertThat(server.as("alice").header("Accept", "image/png")
                .get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SERIES + ".1").status()).isEqualTo(406);

        JsonNode metadata = alice.get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/metadata").json();
        assertThat(metadata).hasSize(3);
        // Parsed once per stored blob, and the JSON kept on disk (written in the background) for later requests.
        Eventually.until("three metadata files in the cache", () -> {
            try (var cached = java.nio.file.Files.walk(server.fixture().dataDir().resolve("cache/dicom-metadata"))) {
                return cached.filter(p -> p.toString().endsWith(".json")).count() >= 3;
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // A cache file renamed into place while the walk passed its temporary name: look again.
                return false;
            }
        });
        assertThat(alice.get("/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/metadata").json()).isEqualTo(metadata);
        String bulk = metadata.get(0).at("/7FE00010/BulkDataURI").asText();
        assertThat(bulk).contains("/bulkdata/7FE00010");
        HttpTestClient.Response pixels = alice.get(bulk.substring(bulk.indexOf("/dicom-web/")));
        assertThat(pixels.status()).isEqualTo(200);
        assertThat(pixels.header("Content-Type")).contains("application/octet-stream");
        byte[] expected = Arrays.copyOfRange(firstCt, firstCt.length - 512, firstCt.length);
        assertThat(indexOf(pixels.body(), expected)).isGreaterThan(0);
    }

    @Test
    void anItemsDicomTagsAndImageLinkAreShownForThePortal() {
        JsonNode dicom = alice.get("/api/v1/items/" + ctItem + "/dicom").json();
        assertThat(dicom.get("sopInstanceUid").asText()).isEqualTo(CT_SERIES + ".1");
        assertThat(dicom.get("hasPixels").asBoolean()).isTrue();
        JsonNode patientId = null;
        for (JsonNode tag : dicom.get("tags")) {
            if (tag.get("keyword").asText().equals("PatientID")) {
                patientId = tag;
            }
        }
        assertThat(patientId).isNotNull();
        assertThat(patientId.get("tag").asText()).isEqualTo("(0010,0020)");
        assertThat(patientId.get("value").asText()).isEqualTo("PAT-1");
        assertThat(alice.get(dicom.get("renderedUrl").asText()).status()).isEqualTo(200);
        assertThat(bob.get("/api/v1/items/" + ctItem + "/dicom").status()).isEqualTo(404);
        String notDicom = alice.get("/api/v1/folders/" + siteB + "/children").json().findValues("items").get(0).findParents("name")
                .stream().filter(n -> n.get("name").asText().equals("notes.txt")).findFirst().orElseThrow().get("id").asText();
        assertThat(alice.get("/api/v1/items/" + notDicom + "/dicom").status()).isEqualTo(404);
    }

    @Test
    void deletedItemsLeaveTheIndex() {
        String id = put(siteB, "short-lived.dcm", new SyntheticInstance("1.2.826.0.1.3680043.10.9", "1.2.826.0.1.3680043.10.9.1",
                "1.2.826.0.1.3680043.10.9.1.1", "Gone^Soon", "PAT-9", "20260401", "CT", 1).bytes());
        assertThat(uids(alice.get("/dicom-web/studies?PatientID=PAT-9"))).hasSize(1);
        alice.delete("/api/v1/items/" + id);
        assertThat(uids(alice.get("/dicom-web/studies?PatientID=PAT-9"))).isEmpty();
    }

    @Test
    void framesRenderedImagesAndThumbnailsForViewers() throws Exception {
        String instance = "/dicom-web/studies/" + STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SERIES + ".1";
        HttpTestClient.Response frames = server.as("alice")
                .header("Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*").get(instance + "/frames/1");
        assertThat(frames.status()).isEqualTo(200);
        assertThat(new String(frames.body(), StandardCharsets.ISO_8859_1))
                .contains("Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(indexOf(frames.body(), Arrays.copyOfRange(firstCt, firstCt.length - 512, firstCt.length))).isGreaterThan(0);
        assertThat(alice.get(instance + "/frames/2").status()).isEqualTo(404);
        assertThat(alice.get(instance + "/frames/0").status()).isEqualTo(404);

        HttpTestClient.Response jpeg = alice.get(instance + "/rendered");
        assertThat(jpeg.header("Content-Type")).isEqualTo("image/jpeg");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.body()));
        assertThat(image.getWidth()).isEqualTo(16);
        HttpTestClient.Response png = server.as("alice").header("Accept", "image/png").get(instance + "/frames/1/rendered?window=100,200");
        assertThat(png.header("Content-Type")).isEqualTo("image/png");
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getHeight()).isEqualTo(16);
        assertThat(alice.get(instance + "/rendered?window=wide").status()).isEqualTo(400);
        HttpTestClient.Response thumb = alice.get("/dicom-web/studies/" + STUDY + "/series/" + MR_SERIES + "/thumbnail?viewport=8,8");
        assertThat(thumb.status()).isEqualTo(200);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(thumb.body())).getWidth()).isLessThanOrEqualTo(8);
    }

    @Test
    void compressedFramesAreSentAsStoredOrDecodedOnRequest() throws Exception {
        byte[] jpegInstance = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../dicomweb/src/test/resources/corpus/rgb_jpeg_baseline.dcm"));
        String folder = scratchFolder("compressed " + kind);
        put(folder, "jpeg.dcm", jpegInstance);
        JsonNode found = alice.get("/dicom-web/folders/" + folder + "/instances").json().get(0);
        String path = "/dicom-web/studies/" + value(found, "0020000D") + "/series/" + value(found, "0020000E") + "/instances/"
                + value(found, "00080018") + "/frames/1";
        HttpTestClient.Response stored = server.as("alice").header("Accept", "multipart/related; type=application/octet-stream; transfer-syntax=*")
                .get(path);
        assertThat(new String(stored.body(), StandardCharsets.ISO_8859_1)).contains("transfer-syntax=1.2.840.10008.1.2.4.50")
                .contains("\u00ff\u00d8");
        HttpTestClient.Response decoded = server.as("alice").header("Accept", "multipart/related; type=application/octet-stream")
                .get(path);
        assertThat(decoded.status()).isEqualTo(200);
        assertThat(new String(decoded.body(), StandardCharsets.ISO_8859_1)).contains("transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(server.as("alice").header("Accept", "image/webp").get(path).status()).isEqualTo(406);
    }

    @Test
    void jpegLsFramesAreDecodedAndRendered() throws Exception {
        java.nio.file.Path corpus = java.nio.file.Path.of("../dicomweb/src/test/resources/corpus");
        String folder = scratchFolder("jpeg-ls " + kind);
        put(folder, "jpegls.dcm", java.nio.file.Files.readAllBytes(corpus.resolve("ct16_jpegls.dcm")));
        JsonNode found = alice.get("/dicom-web/folders/" + folder + "/instances").json().get(0);
        String instance = "/dicom-web/studies/" + value(found, "0020000D") + "/series/" + value(found, "0020000E")
                + "/instances/" + value(found, "00080018");
        HttpTestClient.Response decoded = server.as("alice").header("Accept", "multipart/related; type=application/octet-stream")
                .get(instance + "/frames/1");
        assertThat(decoded.status()).as(decoded.toString()).isEqualTo(200);
        // The frame as DCMTK's dcmdjpls decodes it (the corpus's .raw), sent as Explicit VR Little Endian.
        String dcmdjpls = new String(java.nio.file.Files.readAllBytes(corpus.resolve("ct16_jpegls.raw")), StandardCharsets.ISO_8859_1);
        assertThat(new String(decoded.body(), StandardCharsets.ISO_8859_1)).contains("transfer-syntax=1.2.840.10008.1.2.1")
                .contains(dcmdjpls);
        HttpTestClient.Response png = server.as("alice").header("Accept", "image/png").get(instance + "/rendered");
        assertThat(png.status()).as(png.toString()).isEqualTo(200);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth()).isEqualTo(64);
    }

    @Test
    void twelveBitJpegExtendedFramesAreDecodedAndRendered() throws Exception {
        // 12-bit JPEG Extended (process 4) has Arca's own decoder: frames decode and render instead of 406/500.
        byte[] jpegInstance = java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("../dicomweb/src/test/resources/corpus/mono1_12_jpeg_extended.dcm"));
        String folder = scratchFolder("twelve-bit " + kind);
        put(folder, "jpeg12.dcm", jpegInstance);
        JsonNode found = alice.get("/dicom-web/folders/" + folder + "/instances").json().get(0);
        String instance = "/dicom-web/studies/" + value(found, "0020000D") + "/series/" + value(found, "0020000E")
                + "/instances/" + value(found, "00080018");
        HttpTestClient.Response decoded = server.as("alice").header("Accept", "multipart/related; type=application/octet-stream")
                .get(instance + "/frames/1");
        assertThat(decoded.status()).isEqualTo(200);
        assertThat(new String(decoded.body(), StandardCharsets.ISO_8859_1)).contains("transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(decoded.body().length).isGreaterThan(64 * 64 * 2);
        HttpTestClient.Response rendered = alice.get(instance + "/rendered");
        assertThat(rendered.status()).isEqualTo(200);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(rendered.body())).getWidth()).isEqualTo(64);
        assertThat(alice.get(instance + "/thumbnail").status()).isEqualTo(200);
    }

    @Test
    void documentsWithoutPixelsAreStoredIndexedAndRetrievedLikeImages() {
        byte[] pdf = ("%PDF-1.4\n" + "report line\n".repeat(60) + "%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        org.arca.dicom.Attributes ds = new org.arca.dicom.Attributes();
        ds.setString(org.arca.dicom.Tag.SOPClassUID, org.arca.dicom.VR.UI, "1.2.840.10008.5.1.4.1.1.104.1");
        ds.setString(org.arca.dicom.Tag.SOPInstanceUID, org.arca.dicom.VR.UI, "1.2.826.0.1.3680043.10.7.1.1");
        ds.setString(org.arca.dicom.Tag.StudyInstanceUID, org.arca.dicom.VR.UI, "1.2.826.0.1.3680043.10.7");
        ds.setString(org.arca.dicom.Tag.SeriesInstanceUID, org.arca.dicom.VR.UI, "1.2.826.0.1.3680043.10.7.1");
        ds.setString(org.arca.dicom.Tag.Modality, org.arca.dicom.VR.CS, "DOC");
        ds.setString(org.arca.dicom.Tag.PatientID, org.arca.dicom.VR.LO, "PAT-DOC");
        ds.setString(0x00420012, org.arca.dicom.VR.LO, "application/pdf");
        ds.setBytes(0x00420011, org.arca.dicom.VR.OB, pdf.length % 2 == 0 ? pdf : Arrays.copyOf(pdf, pdf.length + 1));
        byte[] document = TestDicom.part10(ds);
        String target = scratchFolder("documents " + kind);
        HttpTestClient.Response stored = alice.send("POST", "/dicom-web/folders/" + target + "/studies",
                DicomWebTestSupport.multipart("d", document), "multipart/related; type=application/dicom; boundary=d");
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        JsonNode found = alice.get("/dicom-web/instances?PatientID=PAT-DOC").json();
        assertThat(value(found.get(0), "00080016")).isEqualTo("1.2.840.10008.5.1.4.1.1.104.1");
        String instance = "/dicom-web/studies/1.2.826.0.1.3680043.10.7/series/1.2.826.0.1.3680043.10.7.1/instances/1.2.826.0.1.3680043.10.7.1.1";
        String bulk = alice.get(instance + "/metadata").json().get(0).at("/00420011/BulkDataURI").asText();
        assertThat(new String(alice.get(bulk.substring(bulk.indexOf("/dicom-web/"))).body(), StandardCharsets.US_ASCII)).contains("%PDF-1.4");
        assertThat(alice.get(instance + "/rendered").status()).isEqualTo(404);
        assertThat(alice.get(instance + "/frames/1").status()).isEqualTo(404);
    }

    static SyntheticInstance stowed(int n) {
        String study = "1.2.826.0.1.3680043.10.5";
        return new SyntheticInstance(study, study + ".1", study + ".1." + n, "Stow^Test", "PAT-STOW", "20260510", "CT", n);
    }

    @Test
    void stowStoresEachPartAndAnswersPerInstance() throws java.io.IOException {
        String target = scratchFolder("stow " + kind + " " + System.nanoTime());
        String path = "/dicom-web/folders/" + target + "/studies";
        HttpTestClient.Response ok = alice.send("POST", path, DicomWebTestSupport.multipart("b1", "application/dicom", stowed(1).bytes(), stowed(2).bytes()),
                "multipart/related; type=application/dicom; boundary=b1");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().at("/00081199/Value")).hasSize(2);
        assertThat(ok.json().at("/00081199/Value/0/00081190/Value/0").asText()).contains("/instances/1.2.826.0.1.3680043.10.5.1.1");
        assertThat(alice.get("/dicom-web/studies/1.2.826.0.1.3680043.10.5/instances").json()).hasSize(2);

        HttpTestClient.Response again = alice.send("POST", path, DicomWebTestSupport.multipart("b2", "application/dicom", stowed(1).bytes()),
                "multipart/related; type=\"application/dicom\"; boundary=\"b2\"");
        assertThat(again.status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/folders/" + target + "/children").json().get("total").asInt()).isEqualTo(2);

        SyntheticInstance clash = new SyntheticInstance("1.2.826.0.1.3680043.10.5", "1.2.826.0.1.3680043.10.5.1",
                "1.2.826.0.1.3680043.10.5.1.1", "Someone^Else", "PAT-X", "20260511", "MR", 9);
        HttpTestClient.Response conflict = alice.send("POST", path, DicomWebTestSupport.multipart("b3", "application/dicom", clash.bytes()),
                "multipart/related; type=application/dicom; boundary=b3");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0x0111);
        assertThat(value(alice.get("/dicom-web/instances?SOPInstanceUID=1.2.826.0.1.3680043.10.5.1.1").json().get(0), "00100020"))
                .isEqualTo("PAT-STOW");

        HttpTestClient.Response mixed = alice.send("POST", path, ("--b4\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + new String(DicomWebTestSupport.multipart("b4", "application/dicom", stowed(3).bytes()), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1), "multipart/related; type=application/dicom; boundary=b4");
        assertThat(mixed.status()).isEqualTo(202);
        assertThat(mixed.json().at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xC000);
        assertThat(mixed.json().at("/00081199/Value")).hasSize(1);

        HttpTestClient.Response wrongStudy = alice.send("POST", path + "/1.2.3", DicomWebTestSupport.multipart("b5", "application/dicom", stowed(4).bytes()),
                "multipart/related; type=application/dicom; boundary=b5");
        assertThat(wrongStudy.status()).isEqualTo(409);
        assertThat(wrongStudy.json().at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xC409);

        assertThat(alice.send("POST", path, stowed(5).bytes(), "application/dicom").status()).isEqualTo(415);
        assertThat(bob.send("POST", path, DicomWebTestSupport.multipart("b6", "application/dicom", stowed(6).bytes()),
                "multipart/related; type=application/dicom; boundary=b6").status()).isEqualTo(404);

        byte[] whole = DicomWebTestSupport.multipart("b7", "application/dicom", stowed(7).bytes());
        HttpTestClient.Response cut = alice.send("POST", path, Arrays.copyOf(whole, whole.length / 2),
                "multipart/related; type=application/dicom; boundary=b7");
        assertThat(cut.status()).isEqualTo(409);
        assertThat(alice.get("/dicom-web/instances?SOPInstanceUID=1.2.826.0.1.3680043.10.5.1.7").json()).isEmpty();
        try (var temporaries = java.nio.file.Files.list(server.fixture().dataDir().resolve("blobs/.tmp"))) {
            assertThat(temporaries).as("nothing of the cut part is left").isEmpty();
        }

        // Many parts in one body, so part boundaries fall anywhere in the reads, straddling them too.
        byte[][] many = new byte[120][];
        for (int i = 0; i < many.length; i++) {
            many[i] = stowed(100 + i).bytes();
        }
        HttpTestClient.Response batch = alice.send("POST", path, DicomWebTestSupport.multipart("b8-many", "application/dicom", many),
                "multipart/related; type=\"application/dicom\"; boundary=\"b8-many\"");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().at("/00081199/Value")).hasSize(120);
        JsonNode stored = alice.get("/dicom-web/instances?SOPInstanceUID=1.2.826.0.1.3680043.10.5.1.219").json();
        assertThat(stored).hasSize(1);
    }

    @Test
    void aPlainStowGoesToTheCallersHome() {
        SyntheticInstance mine = new SyntheticInstance("1.2.826.0.1.3680043.10.6", "1.2.826.0.1.3680043.10.6.1",
                "1.2.826.0.1.3680043.10.6.1.1", "Home^Test", "PAT-HOME", "20260601", "US", 1);
        HttpTestClient.Response r = bob.send("POST", "/dicom-web/studies", DicomWebTestSupport.multipart("h", "application/dicom", mine.bytes()),
                "multipart/related; type=application/dicom; boundary=h");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(uids(bob.get("/dicom-web/studies?PatientID=PAT-HOME"))).containsExactly("1.2.826.0.1.3680043.10.6");
        assertThat(bob.get("/api/v1/collections").json().findValuesAsText("name")).contains("Home of bob");
        assertThat(uids(server.as("alice").get("/dicom-web/studies?PatientID=PAT-HOME"))).isEmpty();
    }

    private static JsonNode byUid(JsonNode studies, String uid) {
        for (JsonNode s : studies) {
            if (value(s, "0020000D").equals(uid)) {
                return s;
            }
        }
        throw new AssertionError("no study " + uid + " in " + studies);
    }

    private static List<String> uids(HttpTestClient.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().findValues("0020000D").stream().map(n -> n.path("Value").path(0).asText()).toList();
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
