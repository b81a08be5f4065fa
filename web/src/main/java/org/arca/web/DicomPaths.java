package org.arca.web;

import io.javalin.http.Context;
import java.util.List;
import org.arca.core.ArcaException;
import org.arca.dicomweb.DicomQueries;

/** What a DICOMweb path names: its scope (everything, or one folder's subtree) and the readable instances under it. */
final class DicomPaths {
    private static final String ROOT = "/dicom-web";
    private static final String FOLDERS = "/folders/";

    private DicomPaths() {
    }

    static DicomQueries.Scope scope(Context ctx) {
        return ctx.pathParamMap().containsKey("folder") ? new DicomQueries.Scope(ctx.pathParam("folder"))
                : DicomQueries.Scope.EVERYTHING;
    }

    /**
     * The service root the request came through, as a URL: {@code http://host/dicom-web} or
     * {@code http://host/dicom-web/folders/{folder}}. Built from the request like STOW-RS's answer URLs.
     */
    static String root(Context ctx) {
        String path = ctx.path();
        int end = path.indexOf(ROOT) + ROOT.length();
        if (ctx.pathParamMap().containsKey("folder")) {
            end = path.indexOf('/', end + FOLDERS.length());
        }
        return ctx.scheme() + "://" + ctx.host() + path.substring(0, end);
    }

    /** The readable instances of the path's study, series or instance; 404 when there are none, hidden or absent. */
    static List<DicomQueries.StoredInstance> located(Context ctx, DicomQueries queries) {
        List<DicomQueries.StoredInstance> found = queries.locate(Callers.of(ctx), scope(ctx), ctx.pathParamMap().get("study"),
                ctx.pathParamMap().get("series"), ctx.pathParamMap().get("instance"));
        if (found.isEmpty()) {
            throw ArcaException.notFound("The study, series or instance");
        }
        return found;
    }
}
