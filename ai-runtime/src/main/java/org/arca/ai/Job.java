package org.arca.ai;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as its owner sees it: what runs on what, where results go, how far it got, its log and timings
 * (milliseconds: queued, workerStart, prepare, load, inference, store, total), and the items it stored.
 */
public record Job(String id, String modelName, String modelVersion, String modelSha256, String userId, String studyUid,
                  String seriesUid, Map<String, Object> parameters, String outputFolderId, JobStatus status, double progress,
                  String log, String error, List<Result> results, Map<String, Long> timings, Instant createdAt,
                  Instant startedAt, Instant finishedAt) {

    public Job {
        parameters = Map.copyOf(parameters);
        results = List.copyOf(results);
        timings = Map.copyOf(timings);
    }

    /** One stored result: the item, its kind ({@code segmentation}, {@code boxes}, {@code overlay}) and its name. */
    public record Result(String itemId, String kind, String name) {
    }
}
