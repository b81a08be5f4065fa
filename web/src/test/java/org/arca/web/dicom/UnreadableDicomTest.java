package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.arca.core.TestDatabases;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged DICOM stored through the REST API (STOW would refuse some of it; a plain upload keeps any bytes, and the
 * index reads only the attributes before the pixel data): every DICOM route answers it with a correct answer or
 * a JSON error, 422 {@code unreadable_dicom} when the stored data cannot be read, never a 500. A series
 * thumbnail falls back to a readable instance of the series.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class UnreadableDicomTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.77.1";
    /** Five instances; the middle one (number 3) is cut short and number 4 claims more pixels than it has. */
    static final String MIXED_SERIES = STUDY + ".100";
    static final String PATIENT_NAME = "Quirk^Ophelia";
    static final String PATIENT_ID = "PAT-Q77";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;
    static String folder;
    /** Each kind of damage, in a series of its own. */
    static final Map<String, Stored> DAMAGED = new LinkedHashMap<>();
    /** Valid data in a syntax Arca has no decoder for. */
    static Stored UNDECODABLE;

    record Stored(String itemId, String seriesUid, String sopUid) {
        String series() {
            return "/dicom-web/studies/" + STUDY + "/series/" + seriesUid;
        }

        String instance() {
            return series() + "/instances/" + sopUid;
        }
    }

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) throws IOException {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
        String collection = alice.post("/api/v1/collections", "{\"name\":\"Damaged DICOM\"}").json().get("id").asText();
        folder = alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":\"probe\"}").json().get("id").asText();
        DAMAGED.clear();
        int n = 1;
        DAMAGED.put("truncated", store(n++, bytes -> Arrays.copyOf(bytes, bytes.length - 100)));
        DAMAGED.put("pixel data length 0xFFFFFFF0", store(n++, UnreadableDicomTest::hugePixelDataLength));
        DAMAGED.put("rows x columns beyond the pixel data", storeChanged(n++, ds -> {
            ds.setInt(Tag.Rows, VR.US, 4096);
            ds.setInt(Tag.Columns, VR.US, 4096);
        }));
        DAMAGED.put("bits allocated 0", storeChanged(n++, ds -> ds.setInt(Tag.BitsAllocated, VR.US, 0)));
        DAMAGED.put("corrupt JPEG frame", storeCorruptJpeg(n++));
        DAMAGED.put("JPEG 2000 frame the decoder fails with an Error", storeJpeg2000DecoderError(n++));
        // JPEG-LS has a decoder, so a stream that is not JPEG-LS is damage (422), not a missing decoder (406).
        DAMAGED.put("JPEG frame labelled JPEG-LS", storeAs(n++, TransferSyntax.JPEG_LS_LOSSLESS));
        UNDECODABLE = storeAs(n, TransferSyntax.HTJ2K_LOSSLESS);
        for (int i = 1; i <= 5; i++) {
            SyntheticInstance instance = instance(MIXED_SERIES, i);
            byte[] bytes = instance.bytes();
            if (i == 3) {
                bytes = Arrays.copyOf(bytes, bytes.length - 100);
            } else if (i == 4) {
                Attributes ds = instance.dataset();
                ds.setInt(Tag.Rows, VR.US, 64);
                bytes = TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            }
            put("mixed" + i + ".dcm", bytes);
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static SyntheticInstance instance(String series, int number) {
        return new SyntheticInstance(STUDY, series, series + "." + number, PATIENT_NAME, PATIENT_ID, "20260505", "CT", number);
    }

    static Stored store(int n, UnaryOperator<byte[]> damage) {
        SyntheticInstance instance = instance(STUDY + "." + n, 1);
        return new Stored(put("damaged" + n + ".dcm", damage.apply(instance.bytes())), instance.seriesUid(), instance.sopUid());
    }

    static Stored storeChanged(int n, java.util.function.Consumer<Attributes> change) {
        SyntheticInstance instance = instance(STUDY + "." + n, 1);
        Attributes ds = instance.dataset();
        change.accept(ds);
        byte[] bytes = TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return new Stored(put("damaged" + n + ".dcm", bytes), instance.seriesUid(), instance.sopUid());
    }

    /** The corpus's colour JPEG declared as another encapsulated syntax: it reads, but nothing here decodes it. */
    static Stored storeAs(int n, TransferSyntax syntax) throws IOException {
        Attributes ds = corpusJpeg(n);
        SyntheticInstance ids = instance(STUDY + "." + n, 1);
        return new Stored(put("undecodable" + n + ".dcm", TestDicom.part10(ds, syntax)), ids.seriesUid(), ids.sopUid());
    }

    /** The corpus's colour JPEG baseline instance, moved into this test's study as series {@code n}. */
    static Attributes corpusJpeg(int n) throws IOException {
        Attributes ds = DicomReader.read(Path.of("../dicomweb/src/test/resources/corpus/rgb_jpeg_baseline.dcm")).dataset();
        SyntheticInstance ids = instance(STUDY + "." + n, 1);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, ids.seriesUid());
        ds.setString(Tag.SOPInstanceUID, VR.UI, ids.sopUid());
        ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
        return ds;
    }

    /** The corpus's colour JPEG with its frame's entropy-coded data gone: a start-of-image marker and zeros. */
    static Stored storeCorruptJpeg(int n) throws IOException {
        Attributes ds = corpusJpeg(n);
        SyntheticInstance ids = instance(STUDY + "." + n, 1);
        List<Value> items = ((Value.Fragments) ds.get(Tag.PixelData).orElseThrow().value()).items();
        byte[] frame = new byte[((Value.Bytes) items.get(1)).bytes().length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xD8;
        ds.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(items.get(0), new Value.Bytes(frame))));
        byte[] bytes = TestDicom.part10(ds, TransferSyntax.JPEG_BASELINE);
        return new Stored(put("damaged" + n + ".dcm", bytes), ids.seriesUid(), ids.sopUid());
    }

    /**
     * An 8-bit instance as a JPEG 2000 codestream whose tile-part length is 2^32 - 1: jj2000 throws its own
     * NotImplementedError, a java.lang.Error, when decoding it.
     */
    static Stored storeJpeg2000DecoderError(int n) throws IOException {
        SyntheticInstance instance = instance(STUDY + "." + n, 1);
        Attributes ds = instance.dataset();
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        var writer = ImageIO.getImageWritersByFormatName("jpeg2000").next();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            var p = (com.github.jaiimageio.jpeg2000.J2KImageWriteParam) writer.getDefaultWriteParam();
            p.setWriteCodeStreamOnly(true);
            writer.write(null, new javax.imageio.IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        byte[] cs = out.toByteArray();
        cs = cs.length % 2 == 0 ? cs : Arrays.copyOf(cs, cs.length + 1);
        for (int i = 0; i + 1 < cs.length; i++) {
            if ((cs[i] & 0xFF) == 0xFF && (cs[i + 1] & 0xFF) == 0x90) { // SOT: Psot follows its length and tile index
                Arrays.fill(cs, i + 6, i + 10, (byte) 0xFF);
                break;
            }
        }
        ds.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(Value.Bytes.EMPTY, new Value.Bytes(cs))));
        byte[] bytes = TestDicom.part10(ds, TransferSyntax.JPEG_2000_LOSSLESS);
        return new Stored(put("damaged" + n + ".dcm", bytes), instance.seriesUid(), instance.sopUid());
    }

    /** The file with its Pixel Data's 32-bit length (after tag, "OW" and two reserved bytes) set to 0xFFFFFFF0. */
    static byte[] hugePixelDataLength(byte[] bytes) {
        byte[] header = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0};
        for (int i = bytes.length - header.length; i >= 0; i--) {
            if (Arrays.equals(bytes, i, i + header.length, header, 0, header.length)) {
                byte[] out = bytes.clone();
                out[i + 8] = (byte) 0xF0;
                out[i + 9] = (byte) 0xFF;
                out[i + 10] = (byte) 0xFF;
                out[i + 11] = (byte) 0xFF;
                return out;
            }
        }
        throw new AssertionError("no pixel data header");
    }

    static String put(String name, byte[] bytes) {
        HttpTestClient.Response r = alice.putBytes("/api/v1/folders/" + folder + "/files/" + name, bytes, "application/dicom");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A correct answer, or a JSON error that names its reason and no patient data; never a server error. */
    static HttpTestClient.Response answered(HttpTestClient.Response r, String what) {
        assertThat(r.status()).as(what + ": " + r).isBetween(200, 499);
        if (r.status() >= 400) {
            assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
            assertThat(r.json().path("error").asText()).as(what).isNotBlank();
            assertThat(r.json().path("message").asText()).as(what).isNotBlank();
            assertThat(r.text()).as(what).doesNotContain("Quirk", "Ophelia", PATIENT_ID);
        }
        return r;
    }

    static void unreadable(HttpTestClient.Response r, String what) {
        answered(r, what);
        assertThat(r.status()).as(what + ": " + r).isEqualTo(422);
        assertThat(r.error()).as(what).isEqualTo("unreadable_dicom");
    }

    static HttpTestClient.Response get(String path, String accept) {
        HttpTestClient client = server.as("alice");
        return (accept == null ? client : client.header("Accept", accept)).get(path);
    }

    @Test
    void everyDicomRouteAnswersDamagedDataWithoutAServerError() {
        String anyFrames = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        String anyInstances = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
        for (var damaged : DAMAGED.entrySet()) {
            String what = damaged.getKey();
            Stored s = damaged.getValue();
            String scoped = "/dicom-web/folders/" + folder + s.instance().substring("/dicom-web".length());
            answered(get("/api/v1/items/" + s.itemId() + "/dicom", null), what + ", item tags");
            for (String path : List.of(s.instance() + "/rendered", s.instance() + "/frames/1/rendered", s.instance() + "/thumbnail",
                    s.series() + "/thumbnail", scoped + "/rendered")) {
                unreadable(get(path, null), what + ", " + path);
            }
            answered(get(s.instance() + "/frames/1", null), what + ", frames");
            answered(get(s.instance() + "/frames/1", anyFrames), what + ", frames as stored");
            answered(get(s.instance() + "/metadata", null), what + ", instance metadata");
            answered(get(s.series() + "/metadata", null), what + ", series metadata");
            answered(get(s.instance() + "/bulkdata/7FE00010", null), what + ", bulk data");
            // Retrieval sends the stored file as it is.
            assertThat(answered(get(s.instance(), anyInstances), what + ", retrieval").status()).isEqualTo(200);
        }
        answered(get("/dicom-web/studies/" + STUDY + "/metadata", null), "study metadata");
        answered(get("/dicom-web/studies/" + STUDY + "/thumbnail", null), "study thumbnail");
        answered(get("/dicom-web/studies?PatientID=" + PATIENT_ID, null), "study search");
    }

    @Test
    void filesTheReaderCannotReadAre422WithTheReason() {
        for (String what : List.of("truncated", "pixel data length 0xFFFFFFF0")) {
            Stored s = DAMAGED.get(what);
            HttpTestClient.Response tags = get("/api/v1/items/" + s.itemId() + "/dicom", null);
            unreadable(tags, what);
            assertThat(tags.json().path("message").asText()).as(what).contains("beyond the end").contains("7FE0,0010");
            unreadable(get(s.instance() + "/metadata", null), what + ", metadata");
            unreadable(get(s.instance() + "/frames/1", null), what + ", frames");
        }
        // Attributes that do not fit the pixel data: the tags are shown, the pixels refused with the reason.
        Stored rows = DAMAGED.get("rows x columns beyond the pixel data");
        assertThat(answered(get("/api/v1/items/" + rows.itemId() + "/dicom", null), "tags").status()).isEqualTo(200);
        HttpTestClient.Response frames = get(rows.instance() + "/frames/1", null);
        unreadable(frames, "frames");
        assertThat(frames.json().path("message").asText()).contains("shorter than 1 frame(s) of 4096 x 4096");
        Stored bits = DAMAGED.get("bits allocated 0");
        assertThat(get(bits.instance() + "/rendered", null).json().path("message").asText()).contains("Bits Allocated 0");
        // A damaged JPEG frame is still sent as stored when the client takes any syntax, and refused when decoded.
        Stored jpeg = DAMAGED.get("corrupt JPEG frame");
        String anyFrames = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        assertThat(get(jpeg.instance() + "/frames/1", anyFrames).status()).isEqualTo(200);
        unreadable(get(jpeg.instance() + "/frames/1", null), "decoded JPEG frame");
    }

    @Test
    void pixelsNoDecoderHereCanReadAre406WhileTheStoredFormsAreServed() {
        String anyFrames = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        for (String path : List.of(UNDECODABLE.instance() + "/rendered", UNDECODABLE.instance() + "/thumbnail",
                UNDECODABLE.instance() + "/frames/1")) {
            HttpTestClient.Response answer = get(path, null);
            assertThat(answer.status()).as(path).isEqualTo(406);
            assertThat(answer.json().path("error").asText()).as(path).isEqualTo("no_decoder");
        }
        assertThat(get(UNDECODABLE.instance() + "/frames/1", anyFrames).status()).isEqualTo(200);
        assertThat(get(UNDECODABLE.instance() + "/metadata", null).status()).isEqualTo(200);
    }

    @Test
    void aSeriesThumbnailComesFromAReadableInstanceWhenTheMiddleOneIsDamaged() throws IOException {
        String series = "/dicom-web/studies/" + STUDY + "/series/" + MIXED_SERIES;
        unreadable(get(series + "/instances/" + MIXED_SERIES + ".3/thumbnail", null), "the middle instance");
        unreadable(get(series + "/instances/" + MIXED_SERIES + ".4/thumbnail", null), "its neighbour");
        HttpTestClient.Response thumbnail = answered(get(series + "/thumbnail", "image/png"), "series thumbnail");
        assertThat(thumbnail.status()).isEqualTo(200);
        assertThat(thumbnail.header("Content-Type")).isEqualTo("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.body())).getWidth()).isEqualTo(16);
        // The series' metadata holds a damaged instance: refused whole, before any of it is sent.
        unreadable(get(series + "/metadata", null), "series metadata");
    }
}
