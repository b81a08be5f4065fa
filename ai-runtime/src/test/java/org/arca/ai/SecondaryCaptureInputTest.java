package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicomweb.DicomQueries;
import org.arca.dicomweb.DicomWebPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secondary captures without Modality, as converters such as DCMTK's {@code img2dcm} write them, are prepared for a
 * model that accepts OT or SC (the reference model does); one that accepts neither says what the series was taken as.
 */
class SecondaryCaptureInputTest {
    static TestRepository test;
    static Caller owner;
    static Folder folder;
    static InputPreparer preparer;
    static int series;

    @BeforeAll
    static void open() {
        List<TestDatabases.Kind> kinds = TestDatabases.kinds();
        test = AiTestRepositories.open(kinds.get(kinds.size() - 1));
        DicomWebPlugin.install(test.repo());
        owner = test.user("owner");
        folder = test.repo().folders().createCollection(owner, "Captures", null);
        preparer = new InputPreparer(test.repo(), new DicomQueries(test.repo()));
    }

    @AfterAll
    static void close() {
        test.close();
    }

    static ModelManifest.InputSpec accepting(String... modalities) {
        String manifest = ReferenceModel.MANIFEST.replaceFirst("\"modalities\": \\[[^]]*]",
                "\"modalities\": [\"" + String.join("\", \"", modalities) + "\"]");
        return ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8)).input();
    }

    /** Stores an instance as an item; returns its study and series UIDs. */
    static String[] store(byte[] instance) throws IOException {
        Attributes ds = DicomReader.read(instance, DicomReader.Options.DEFAULT).dataset();
        test.repo().items().upload(owner, folder.id(), "capture" + ++series + ".dcm", "application/dicom",
                new ByteArrayInputStream(instance), instance.length, false);
        return new String[] {ds.getString(Tag.StudyInstanceUID, null), ds.getString(Tag.SeriesInstanceUID, null)};
    }

    /** Plans the series for the model and writes its tensors; returns the number of frames. */
    static int prepared(ModelManifest.InputSpec spec, String[] uids) throws IOException {
        InputPreparer.Plan plan = preparer.plan(owner, spec, uids[0], uids[1], 1L << 30);
        ByteArrayOutputStream tensors = new ByteArrayOutputStream();
        plan.write(tensors);
        assertThat(tensors.size()).isPositive();
        return plan.frames().size();
    }

    @Test
    void aSecondaryCaptureWithoutModalityIsTakenAsOtherByAModelThatAcceptsIt() throws IOException {
        String root = "1.2.826.0.1.3680043.10.12.1";
        Attributes ds = DicomReader.read(TextPhantom.dicom(TextPhantom.image(64, 48, true), root, root + ".1", root + ".1.1", 1),
                DicomReader.Options.DEFAULT).dataset();
        ds.remove(Tag.Modality);
        String[] uids = store(TestDicom.part10(ds));

        assertThat(prepared(accepting("US", "OT", "SC"), uids)).isEqualTo(1);
        assertThat(prepared(accepting("OT"), uids)).isEqualTo(1);
        assertThat(prepared(accepting("SC"), uids)).isEqualTo(1);
        assertThatThrownBy(() -> preparer.plan(owner, accepting("CT"), uids[0], uids[1], 1L << 30))
                .hasMessage("The series is a secondary capture without modality (taken as OT or SC); the model accepts CT.");
    }

    @Test
    void anotherClassWithoutModalityIsStillRefused() throws IOException {
        String root = "1.2.826.0.1.3680043.10.12.2";
        Attributes ds = DicomReader.read(TextPhantom.dicom(TextPhantom.image(64, 48, false), root, root + ".1", root + ".1.1", 1),
                DicomReader.Options.DEFAULT).dataset();
        ds.remove(Tag.Modality);
        ds.setString(Tag.SOPClassUID, org.arca.dicom.VR.UI, org.arca.dicom.SopClass.CT_IMAGE);
        String[] uids = store(TestDicom.part10(ds));
        assertThatThrownBy(() -> preparer.plan(owner, accepting("OT", "SC"), uids[0], uids[1], 1L << 30))
                .hasMessage("The series is without modality; the model accepts OT, SC.");
    }

    /** What {@code img2dcm} makes of a BMP: the classic single-frame class, and with {@code -nsc} a multi-frame one. */
    @Test
    void secondaryCapturesMadeByImg2dcmArePreparedForTheReferenceModel(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("img2dcm"), "img2dcm (Debian package dcmtk) is not installed: real secondary captures not checked");
        BufferedImage image = new BufferedImage(40, 24, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | 128);
            }
        }
        Path bmp = dir.resolve("capture.bmp");
        assertThat(ImageIO.write(image, "bmp", bmp.toFile())).isTrue();
        ModelManifest.InputSpec reference = ManifestParser.parse(ReferenceModel.MANIFEST.getBytes(StandardCharsets.UTF_8)).input();
        for (List<String> options : List.of(List.<String>of(), List.of("-nsc"))) {
            Path dcm = dir.resolve("capture" + options.size() + ".dcm");
            List<String> command = new java.util.ArrayList<>(List.of("img2dcm", "-i", "BMP"));
            command.addAll(options);
            command.addAll(List.of(bmp.toString(), dcm.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            byte[] bytes = Files.readAllBytes(dcm);
            Attributes ds = DicomReader.read(bytes, DicomReader.Options.DEFAULT).dataset();
            assertThat(ds.contains(Tag.Modality)).as("img2dcm %s writes no Modality", options).isFalse();
            assertThat(org.arca.dicom.SopClass.impliedModalities(ds.getString(Tag.SOPClassUID, ""))).contains("OT");
            assertThat(prepared(reference, store(bytes))).as("frames of img2dcm %s", options).isEqualTo(1);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
