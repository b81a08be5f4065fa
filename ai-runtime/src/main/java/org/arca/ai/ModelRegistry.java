package org.arca.ai;

import static org.arca.ai.AiTables.instant;
import static org.arca.ai.AiTables.stamp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipFile;
import org.arca.ai.AiTables.Models;
import org.arca.core.ArcaException;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The model registry: anyone signed in submits a package; a curator approves it (pinning its SHA-256) or rejects
 * it with a reason; a curator or the submitter withdraws it. Packages are kept as items of an admin-only
 * collection, so the blob store's {@code gc}, {@code verify} and backups cover them like any other file.
 * Thread-safe.
 */
public final class ModelRegistry {
    static final String PACKAGES_COLLECTION = "AI model packages";

    private final Repository repo;
    private final Path workDir;

    ModelRegistry(Repository repo, Path workDir) {
        this.repo = repo;
        this.workDir = workDir;
    }

    /** The portal page notifications about models link to. */
    static final String PORTAL_PAGE = "#/ai";

    /** Stores and validates a package; a package that does not validate leaves nothing behind. */
    public ModelVersion submit(Caller caller, InputStream body, long declaredLength) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to submit a model.");
        }
        Path temp = receive(body, declaredLength);
        try {
            ModelManifest manifest = ModelPackage.read(temp);
            String json = manifestJson(temp);
            requireNewVersion(caller, manifest);
            Item item = repo.items().adopt(Caller.SYSTEM, packagesFolder().id(),
                    manifest.name() + "-" + manifest.version() + ".zip", "application/zip", temp, true);
            Instant now = Instant.now();
            try {
                repo.database().dsl().insertInto(Models.T).set(Models.NAME, manifest.name())
                        .set(Models.VERSION, manifest.version()).set(Models.STATUS, ModelStatus.SUBMITTED.name())
                        .set(Models.SHA256, item.primaryFile().sha256()).set(Models.SIZE, item.primaryFile().size())
                        .set(Models.MANIFEST, json).set(Models.SUBMITTED_BY, caller.userId())
                        .set(Models.SUBMITTED_AT, stamp(now)).execute();
            } catch (org.jooq.exception.DataAccessException e) {
                throw ArcaException.conflict("version_exists", "Model " + manifest.name() + " already has version "
                        + manifest.version() + "; a changed package needs a new version.");
            }
            repo.audit().record(caller, "ai.model.submit", "model", manifest.name() + "@" + manifest.version(),
                    "sha256=" + item.primaryFile().sha256());
            repo.notifications().sendToRoles(List.of(Role.CURATOR, Role.ADMIN), caller.userId(), "ai.model.submitted",
                    caller.login() + " submitted model " + manifest.name() + " " + manifest.version() + " for review.",
                    PORTAL_PAGE);
            return get(caller, manifest.name(), manifest.version());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // A leftover temporary file is harmless; the work folder is cleaned at start.
            }
        }
    }

    /** Approved versions for everybody, plus the caller's own submissions; everything for curators. */
    public List<ModelVersion> list(Caller caller) {
        return repo.database().dsl().select(Models.ALL).from(Models.T).where(visibleTo(caller))
                .orderBy(Models.NAME, Models.SUBMITTED_AT.desc()).fetch(ModelRegistry::version);
    }

    /** One version the caller may see; NOT_FOUND otherwise, so hidden submissions do not leak. */
    public ModelVersion get(Caller caller, String name, String version) {
        return repo.database().dsl().select(Models.ALL).from(Models.T).where(Models.NAME.eq(name)).and(Models.VERSION.eq(version))
                .and(visibleTo(caller)).fetchOptional(ModelRegistry::version)
                .orElseThrow(() -> ArcaException.notFound("The model version"));
    }

    public ModelVersion approve(Caller caller, String name, String version) {
        ModelVersion v = review(caller, name, version);
        requireStatus(v, ModelStatus.SUBMITTED);
        return change(caller, v, ModelStatus.APPROVED, null, "ai.model.approve");
    }

    public ModelVersion reject(Caller caller, String name, String version, String reason) {
        ModelVersion v = review(caller, name, version);
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw ArcaException.invalid("reason_required", "A rejection needs a reason (up to 2,000 characters).");
        }
        requireStatus(v, ModelStatus.SUBMITTED);
        return change(caller, v, ModelStatus.REJECTED, reason.strip(), "ai.model.reject");
    }

    /** A curator withdraws any version; a submitter may withdraw their own. Withdrawn versions never run again. */
    public ModelVersion withdraw(Caller caller, String name, String version) {
        ModelVersion v = get(caller, name, version);
        if (!isCurator(caller) && !v.submittedBy().equals(caller.userId())) {
            throw ArcaException.forbidden("Only a curator or the submitter may withdraw a model version.");
        }
        if (v.status() == ModelStatus.WITHDRAWN || v.status() == ModelStatus.REJECTED) {
            throw ArcaException.conflict("wrong_status", "This version is already " + v.status() + ".");
        }
        return change(caller, v, ModelStatus.WITHDRAWN, null, "ai.model.withdraw");
    }

    /** The approved version to run; refused unless approved now. */
    ModelVersion runnable(Caller caller, String name, String version) {
        ModelVersion v = get(caller, name, version);
        if (v.status() != ModelStatus.APPROVED || v.approvedSha256() == null) {
            throw new ArcaException(ArcaException.Kind.CONFLICT, "model_not_approved",
                    "Model " + name + " " + version + " is " + v.status() + "; only approved versions run.");
        }
        return v;
    }

    /**
     * Copies the approved graph into {@code target}, reading the pinned bytes, not whatever the item holds now. The
     * package is read by Arca, not by the job's owner, who need not see the packages collection.
     */
    void extractGraph(ModelVersion v, Path target) throws IOException {
        Path zip = repo.bytes().read(Caller.SYSTEM, List.of(v.approvedSha256()), JobService.JOB_READS)
                .path(v.approvedSha256());
        ModelPackage.extractGraph(zip, v.manifest().graph(), target);
    }

    static boolean isCurator(Caller caller) {
        return caller.has(Role.CURATOR) || caller.isAdmin();
    }

    private ModelVersion review(Caller caller, String name, String version) {
        ModelVersion v = get(caller, name, version);
        if (!isCurator(caller)) {
            throw ArcaException.forbidden("Only curators review models.");
        }
        return v;
    }

    private static void requireStatus(ModelVersion v, ModelStatus needed) {
        if (v.status() != needed) {
            throw ArcaException.conflict("wrong_status", "This version is " + v.status() + ", not " + needed + ".");
        }
    }

    private ModelVersion change(Caller caller, ModelVersion v, ModelStatus status, String reason, String action) {
        int changed = repo.database().dsl().update(Models.T).set(Models.STATUS, status.name())
                .set(Models.REVIEWED_BY, caller.userId()).set(Models.REVIEWED_AT, stamp(Instant.now()))
                .set(Models.REASON, reason)
                .set(Models.APPROVED_SHA256, status == ModelStatus.APPROVED ? v.sha256() : v.approvedSha256())
                .where(Models.NAME.eq(v.name())).and(Models.VERSION.eq(v.version()))
                .and(Models.STATUS.eq(v.status().name())).execute();
        if (changed == 0) {
            throw ArcaException.conflict("wrong_status", "The version changed meanwhile; reload it.");
        }
        repo.audit().record(caller, action, "model", v.name() + "@" + v.version(), "sha256=" + v.sha256()
                + (reason != null ? " reason=" + reason : ""));
        if (!v.submittedBy().equals(caller.userId())) {
            repo.notifications().send(v.submittedBy(), action, "Your model " + v.name() + " " + v.version() + " was "
                    + status.name().toLowerCase(java.util.Locale.ROOT) + " by " + caller.login()
                    + (reason != null ? ": " + reason : "."), PORTAL_PAGE);
        }
        return get(caller, v.name(), v.version());
    }

    private Condition visibleTo(Caller caller) {
        if (isCurator(caller)) {
            return DSL.noCondition();
        }
        Condition approved = Models.STATUS.eq(ModelStatus.APPROVED.name());
        return caller.signedIn() ? approved.or(Models.SUBMITTED_BY.eq(caller.userId())) : approved;
    }

    /** A name belongs to whoever submitted it first, so nobody else can publish "their" next version. */
    private void requireNewVersion(Caller caller, ModelManifest manifest) {
        List<String> owners = repo.database().dsl().selectDistinct(Models.SUBMITTED_BY).from(Models.T)
                .where(Models.NAME.eq(manifest.name())).fetch(Models.SUBMITTED_BY);
        if (!owners.isEmpty() && !owners.contains(caller.userId()) && !isCurator(caller)) {
            throw ArcaException.conflict("name_taken", "The model name " + manifest.name() + " belongs to another submitter.");
        }
        if (repo.database().dsl().fetchExists(Models.T, Models.NAME.eq(manifest.name()).and(Models.VERSION.eq(manifest.version())))) {
            throw ArcaException.conflict("version_exists", "Model " + manifest.name() + " already has version "
                    + manifest.version() + "; a changed package needs a new version.");
        }
    }

    private Path receive(InputStream body, long declaredLength) {
        long max = repo.items().maxUploadBytes();
        if (declaredLength > max) {
            throw new ArcaException(ArcaException.Kind.TOO_LARGE, "too_large", "The package is larger than allowed.");
        }
        try {
            Files.createDirectories(workDir);
            Path temp = Files.createTempFile(workDir, "package-", ".zip");
            try (InputStream limited = new org.arca.ai.BoundedInputStream(body, max)) {
                Files.copy(limited, temp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            return temp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String manifestJson(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile()); InputStream in = file.getInputStream(file.getEntry("model.json"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The admin-only collection that holds packages, made on first use. */
    private Folder packagesFolder() {
        return repo.folders().collections(Caller.SYSTEM).stream().filter(f -> f.name().equals(PACKAGES_COLLECTION))
                .findFirst().orElseGet(() -> {
                    try {
                        return repo.folders().createCollection(Caller.SYSTEM, PACKAGES_COLLECTION,
                                "Submitted AI model packages (kept by Arca; only administrators see this).");
                    } catch (ArcaException e) {
                        return repo.folders().collections(Caller.SYSTEM).stream()
                                .filter(f -> f.name().equals(PACKAGES_COLLECTION)).findFirst().orElseThrow(() -> e);
                    }
                });
    }

    private static ModelVersion version(Record r) {
        return new ModelVersion(r.get(Models.NAME), r.get(Models.VERSION), ModelStatus.valueOf(r.get(Models.STATUS)),
                r.get(Models.SHA256), r.get(Models.SIZE),
                ManifestParser.parse(r.get(Models.MANIFEST).getBytes(StandardCharsets.UTF_8)), r.get(Models.SUBMITTED_BY),
                instant(r.get(Models.SUBMITTED_AT)), r.get(Models.REVIEWED_BY), instant(r.get(Models.REVIEWED_AT)),
                r.get(Models.APPROVED_SHA256), r.get(Models.REASON));
    }
}
