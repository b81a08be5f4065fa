package org.arca.ai;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class ModelRegistryTest {
    final TestDatabases.Kind kind;
    TestRepository test;
    AiRuntime ai;
    ModelRegistry models;
    Caller alice;
    Caller bob;
    Caller curator;

    ModelRegistryTest(TestDatabases.Kind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void open() {
        test = AiTestRepositories.open(kind);
        ai = new AiRuntime(test.repo(), AiSettings.defaults(test.dataDir()));
        models = ai.models();
        alice = test.user("alice");
        bob = test.user("bob");
        curator = test.user("carol", Role.CURATOR);
    }

    @AfterEach
    void close() {
        ai.close();
        test.close();
    }

    ModelVersion submit(Caller caller, byte[] zip) {
        return models.submit(caller, new ByteArrayInputStream(zip), zip.length);
    }

    static byte[] valid(String version) {
        return ModelZips.zip(ModelZips.boxFilterManifest("bright", version, "CT", 60), OnnxGraphs.boxFilter());
    }

    @Test
    void aCuratorApprovesASubmissionAndTheApprovalPinsItsChecksum() {
        ModelVersion submitted = submit(alice, valid("1.0"));
        assertThat(submitted.status()).isEqualTo(ModelStatus.SUBMITTED);
        assertThat(submitted.sha256()).hasSize(64);
        assertThat(models.list(bob)).isEmpty();
        assertThat(models.list(alice)).extracting(ModelVersion::version).containsExactly("1.0");
        assertThat(models.list(curator)).hasSize(1);
        assertArcaError(() -> models.get(bob, "bright", "1.0"), ArcaException.Kind.NOT_FOUND);
        assertArcaError(() -> models.approve(alice, "bright", "1.0"), ArcaException.Kind.FORBIDDEN);

        ModelVersion approved = models.approve(curator, "bright", "1.0");
        assertThat(approved.status()).isEqualTo(ModelStatus.APPROVED);
        assertThat(approved.approvedSha256()).isEqualTo(submitted.sha256());
        assertThat(models.list(bob)).extracting(ModelVersion::status).containsExactly(ModelStatus.APPROVED);
        assertThat(test.repo().audit().query(Caller.SYSTEM, "carol", "bright@1.0", "ai.model.approve", 10, 0).total()).isEqualTo(1);

        ModelVersion withdrawn = models.withdraw(curator, "bright", "1.0");
        assertThat(withdrawn.status()).isEqualTo(ModelStatus.WITHDRAWN);
        assertThat(models.list(bob)).isEmpty();
    }

    @Test
    void aRejectionNeedsAReasonAndTheSubmitterSeesIt() {
        submit(alice, valid("1.0"));
        assertThatThrownBy(() -> models.reject(curator, "bright", "1.0", " ")).hasMessageContaining("reason");
        models.reject(curator, "bright", "1.0", "No validation data.");
        ModelVersion seen = models.get(alice, "bright", "1.0");
        assertThat(seen.status()).isEqualTo(ModelStatus.REJECTED);
        assertThat(seen.reason()).isEqualTo("No validation data.");
        assertThatThrownBy(() -> models.approve(curator, "bright", "1.0")).hasMessageContaining("REJECTED");
    }

    @Test
    void aChangedPackageIsANewVersionAndANameBelongsToItsSubmitter() {
        submit(alice, valid("1.0"));
        assertArcaError(() -> submit(alice, valid("1.0")), "version_exists");
        assertArcaError(() -> submit(bob, valid("2.0")), "name_taken");
        assertThat(submit(alice, valid("2.0")).status()).isEqualTo(ModelStatus.SUBMITTED);
    }

    @Test
    void badPackagesAreRefusedAndLeaveNothing() {
        assertArcaError(() -> submit(alice, "just text".getBytes(StandardCharsets.UTF_8)), "not_a_model_package");
        assertThatThrownBy(() -> submit(alice, ModelZips.zip(Map.of("readme.md", new byte[] {1}))))
                .hasMessageContaining("no model.json");
        assertThatThrownBy(() -> submit(alice, ModelZips.zip(Map.of("model.json", "{}".getBytes(StandardCharsets.UTF_8),
                "Translator.class", new byte[] {(byte) 0xCA, (byte) 0xFE}, "model.onnx", new byte[] {1}))))
                .hasMessageContaining("Translator.class");
        assertThat(models.list(curator)).isEmpty();
        assertThat(test.repo().database().dsl().fetchCount(org.jooq.impl.DSL.table("items"))).isZero();
    }

    @Test
    void anInvalidManifestListsEveryProblem() {
        String manifest = """
                {"name": "Bad Name", "version": "", "licence": "MIT", "engine": "tensorflow",
                 "input": {"modalities": [], "channels": 2, "layout": "CHW"},
                 "output": {"kind": "mesh"}, "resources": {"heapMb": 1}}
                """;
        assertThat(assertArcaError(() -> submit(alice, ModelZips.zip(manifest, OnnxGraphs.boxFilter()))))
                .hasMessageContaining("name:").hasMessageContaining("version:").hasMessageContaining("engine:")
                .hasMessageContaining("input.modalities").hasMessageContaining("input.channels")
                .hasMessageContaining("input.layout").hasMessageContaining("output.kind").hasMessageContaining("heapMb");
        assertThatThrownBy(() -> submit(alice, ModelZips.zip(Map.of("model.json",
                ModelZips.boxFilterManifest("bright", "1.0", "CT", 60).getBytes(StandardCharsets.UTF_8)))))
                .hasMessageContaining("does not hold");
        assertThat(models.list(curator)).isEmpty();
    }
}
