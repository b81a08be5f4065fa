package org.arca.ai;

import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.Caller;
import org.arca.dicomweb.DicomQueries;

/**
 * Submitting, reading and cancelling jobs. A submission is checked fully before it is queued: the model must be
 * approved, the series readable (404 otherwise), the output folder writable (403, or 404 when hidden), the
 * parameters as the manifest declares them. A job is visible to its owner and administrators only.
 */
public final class JobService {
    /** How refusals name the folder a job writes its results into, at submission and again when it runs. */
    static final String OUTPUT_FOLDER = "The output folder";

    /**
     * A running job reads its inputs as its owner, who was allowed to read them at submission (audited then as
     * {@code ai.job.submit}); the reads of the run add no entries of their own.
     */
    static final StoredBytes.Audit JOB_READS = StoredBytes.Audit.partOf("ai.job.submit");

    private final Repository repo;
    private final ModelRegistry registry;
    private final JobStore store;
    private final InputPreparer preparer;
    private final JobRunner runner;

    JobService(Repository repo, ModelRegistry registry, JobStore store, InputPreparer preparer, JobRunner runner) {
        this.repo = repo;
        this.registry = registry;
        this.store = store;
        this.preparer = preparer;
        this.runner = runner;
    }

    public Job submit(Caller caller, JobRequest request) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to run a model.");
        }
        if (request.modelName() == null || request.modelVersion() == null) {
            throw ArcaException.invalid("model_required", "modelId and version name the model to run.");
        }
        ModelVersion model = registry.runnable(caller, request.modelName(), request.modelVersion());
        List<DicomQueries.StoredInstance> inputs = preparer.locate(caller, request.studyUid(), request.seriesUid());
        Map<String, Object> parameters = JobParameters.validate(model.manifest().parameters(), request.parameters());
        String folder = request.outputFolderId() != null ? request.outputFolderId() : defaultFolder(caller, inputs);
        repo.access().require(caller, folder, AccessLevel.WRITE, OUTPUT_FOLDER);
        // Opaque and unguessable, like the core's ids; jobs are looked up by id only.
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        store.insert(id, model, caller.userId(), request, parameters, folder);
        repo.audit().record(caller, "ai.job.submit", "job", id, "model=" + model.name() + "@" + model.version()
                + " series=" + request.seriesUid() + " output=" + folder);
        runner.wake();
        return get(caller, id);
    }

    public Job get(Caller caller, String id) {
        return store.find(id).filter(j -> AccessControl.isOwnerOrAdmin(caller, j.userId()))
                .orElseThrow(() -> ArcaException.notFound("The job"));
    }

    /** The caller's jobs, newest first (everyone's for administrators). */
    public List<Job> list(Caller caller) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to see your jobs.");
        }
        return store.list(caller.isAdmin() ? null : caller.userId(), 200);
    }

    /**
     * Cancels a queued or running job (killing its worker). A finished job stays as it ended and is returned as
     * it is, so a repeated cancel is harmless, as a repeated DELETE should be.
     */
    public Job cancel(Caller caller, String id) {
        get(caller, id);
        if (store.cancel(id)) {
            runner.kill(id);
            repo.audit().record(caller, "ai.job.cancel", "job", id, "");
        }
        return get(caller, id);
    }

    /** Results go to a {@code results} folder beside the series by default, made if missing. */
    private String defaultFolder(Caller caller, List<DicomQueries.StoredInstance> inputs) {
        String seriesFolder = repo.items().get(caller, inputs.get(0).itemId()).folderId();
        return repo.folders().child(caller, seriesFolder, "results").id();
    }
}
