package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
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
 * STOW-RS as real clients send it: 512 KiB CT instances (random pixels, so any byte sequence turns up) with a
 * fresh UUID boundary per request from concurrent clients, whole requests in one write, refused parts next to
 * good ones on one keep-alive connection, and a client that stops sending mid-part.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class StowRsTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.9";
    private static final String DICOM = "multipart/related; type=\"application/dicom\"; boundary=";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;
    static String collection;
    static int instances;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
        collection = alice.post("/api/v1/collections", "{\"name\":\"STOW\"}").json().get("id").asText();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void fourClientsStoreEveryLargeInstanceWithAFreshBoundaryEachTime() throws Exception {
        String folder = folder("concurrent");
        int perClient = 20;
        List<Future<List<Integer>>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int r = 0; r < perClient; r++) {
                        String boundary = UUID.randomUUID().toString();
                        HttpTestClient.Response answer = alice.send("POST", "/dicom-web/folders/" + folder + "/studies",
                                DicomWebTestSupport.multipart(boundary, ct(client * 1000 + r)), DICOM + boundary);
                        statuses.add(answer.status());
                    }
                    return statuses;
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> client : clients) {
                statuses.addAll(client.get());
            }
            assertThat(statuses).hasSize(4 * perClient).containsOnly(200);
        }
        assertThat(alice.get("/api/v1/folders/" + folder + "/children").json().get("total").asInt()).isEqualTo(4 * perClient);
    }

    @Test
    void aWholeRequestInOneWriteWithoutPreambleIsStored() throws IOException {
        String folder = folder("one write");
        String boundary = "2f7c8a3e-0d1b-4e55-a9c1-7b6f4c2d9e10";
        try (KeepAliveConnection connection = connection()) {
            for (int r = 0; r < 12; r++) {
                KeepAliveConnection.Response answer = connection.post("/dicom-web/folders/" + folder + "/studies",
                        "multipart/related; type=\"application/dicom\"; boundary=" + boundary,
                        DicomWebTestSupport.multipart(boundary, ct(5000 + r)));
                assertThat(answer.status()).as("request %d: %s", r, answer.text()).isEqualTo(200);
            }
        }
        assertThat(alice.get("/api/v1/folders/" + folder + "/children").json().get("total").asInt()).isEqualTo(12);
    }

    @Test
    void refusedPartsCostNeitherTheOtherPartsNorTheConnection() throws IOException {
        String folder = folder("mixed");
        String boundary = UUID.randomUUID().toString();
        byte[] malformed = new byte[4096];
        new Random(7).nextBytes(malformed);
        byte[] body = concat(
                part(boundary, "application/dicom", ct(6001)),
                part(boundary, "application/dicom", malformed),
                part(boundary, "text/plain", "not DICOM".getBytes(StandardCharsets.US_ASCII)),
                DicomWebTestSupport.multipart(boundary, ct(6002)));
        try (KeepAliveConnection connection = connection()) {
            KeepAliveConnection.Response mixed = connection.post("/dicom-web/folders/" + folder + "/studies", DICOM + boundary, body);
            assertThat(mixed.status()).as(mixed.text()).isEqualTo(202);
            String answer = mixed.text();
            assertThat(answer).contains(STUDY + ".1.6001", STUDY + ".1.6002");
            assertThat(org.arca.web.Json.MAPPER.readTree(answer).at("/00081198/Value")).hasSize(2)
                    .allSatisfy(failed -> assertThat(failed.at("/00081197/Value/0").asInt()).isEqualTo(0xC000));

            String next = UUID.randomUUID().toString();
            KeepAliveConnection.Response after = connection.post("/dicom-web/folders/" + folder + "/studies", DICOM + next,
                    DicomWebTestSupport.multipart(next, ct(6003)));
            assertThat(after.status()).as("the next request on the same connection").isEqualTo(200);
        }
        assertThat(alice.get("/api/v1/folders/" + folder + "/children").json().get("total").asInt()).isEqualTo(3);
    }

    @Test
    void aClientThatStopsMidPartStoresNothingOfThatPart() throws IOException {
        String folder = folder("cut");
        String boundary = UUID.randomUUID().toString();
        byte[] first = part(boundary, "application/dicom", ct(7001));
        byte[] body = concat(first, DicomWebTestSupport.multipart(boundary, ct(7002)));
        try (KeepAliveConnection connection = connection()) {
            KeepAliveConnection.Response cut = connection.postCutOff("/dicom-web/folders/" + folder + "/studies", DICOM + boundary,
                    body, first.length + 300 * 1024);
            assertThat(cut.status()).as(cut.text()).isEqualTo(202);
            assertThat(cut.text()).contains(STUDY + ".1.7001").doesNotContain(STUDY + ".1.7002");
        }
        assertThat(alice.get("/dicom-web/instances?SOPInstanceUID=" + STUDY + ".1.7002").json()).isEmpty();
        try (var temporaries = Files.list(server.fixture().dataDir().resolve("blobs/.tmp"))) {
            assertThat(temporaries).as("nothing of the cut part is left").isEmpty();
        }
    }

    @Test
    void aContentTypeWithoutTypeIsTakenAsDicom() {
        String folder = folder("no type");
        HttpTestClient.Response stored = alice.send("POST", "/dicom-web/folders/" + folder + "/studies",
                DicomWebTestSupport.multipart("plain", ct(8001)), "multipart/related; boundary=plain");
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        HttpTestClient.Response otherType = alice.send("POST", "/dicom-web/folders/" + folder + "/studies",
                DicomWebTestSupport.multipart("plain", ct(8002)), "multipart/related; type=\"application/dicom+xml\"; boundary=plain");
        assertThat(otherType.status()).isEqualTo(415);
        assertThat(otherType.json().get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void oneRequestsInstancesAreStoredTogetherAndTheSameUidTwiceIsDecidedWithinIt() {
        String folder = folder("one request");
        byte[] first = ct(8101);
        byte[] other = ct(8102);
        byte[] otherContentSameUid = ct(8102);
        otherContentSameUid[otherContentSameUid.length - 1] ^= 1;
        HttpTestClient.Response answer = server.as("alice").header("Accept", "application/dicom+json").send("POST",
                "/dicom-web/folders/" + folder + "/studies",
                DicomWebTestSupport.multipart("together", first, other, first, otherContentSameUid),
                "multipart/related; type=\"application/dicom\"; boundary=together");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        // The same bytes twice are one instance; other bytes under a UID sent before in the request are a duplicate.
        var stored = answer.json().get("00081199").get("Value");
        assertThat(stored).hasSize(3);
        var failed = answer.json().get("00081198").get("Value");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("00081155").get("Value").get(0).asText()).isEqualTo(STUDY + ".1.8102");
        assertThat(failed.get(0).get("00081197").get("Value").get(0).asInt()).isEqualTo(0x0111);
        var children = alice.get("/api/v1/folders/" + folder + "/children").json().get("items");
        assertThat(children).hasSize(2);
    }

    private static KeepAliveConnection connection() throws IOException {
        return new KeepAliveConnection(server.base(), "alice", TestRepository.PASSWORD);
    }

    private static String folder(String name) {
        return alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":" + q(name + " " + (++instances)) + "}")
                .json().get("id").asText();
    }

    /** A 512×512 16-bit CT instance (512 KiB of random pixels) of the test study. */
    static byte[] ct(int n) {
        Attributes ds = new SyntheticInstance(STUDY, STUDY + ".1", STUDY + ".1." + n, "Stow^Load", "PAT-LOAD", "20260701", "CT", n).dataset();
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, 512);
        byte[] pixels = new byte[512 * 512 * 2];
        new Random(n).nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** One part with its opening delimiter, no closing one. */
    private static byte[] part(String boundary, String type, byte[] content) {
        return concat(("--" + boundary + "\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), content,
                "\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
