package org.arca.ai;

import java.util.Map;

/** What a user asks to run: a model version on a series, with parameters, results into a folder (null: default). */
public record JobRequest(String modelName, String modelVersion, String studyUid, String seriesUid,
                         Map<String, Object> parameters, String outputFolderId) {
    public JobRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
