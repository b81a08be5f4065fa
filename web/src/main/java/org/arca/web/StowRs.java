package org.arca.web;

import static org.arca.web.Route.Audience.SIGNED_IN;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomJson;
import org.arca.dicom.VR;
import org.arca.dicomweb.DicomStore;

/**
 * STOW-RS (PS3.18 10.5): {@code multipart/related; type="application/dicom"} bodies, each part streamed into
 * the blob store and stored as an item ({@link StowBody} splits the parts).
 * Every part gets its own verdict; the answer lists stored and failed instances with 200, 202 or 409.
 */
final class StowRs {
    private final Repository repo;
    private final DicomStore store;

    StowRs(Repository repo, DicomStore store) {
        this.repo = repo;
        this.store = store;
    }

    List<Route> routes() {
        RouteList list = new RouteList("dicomweb");
        for (String root : List.of("/dicom-web", "/dicom-web/folders/{folder}")) {
            String where = root.contains("{folder}") ? "into the folder" : "into the caller's home folder";
            list.post(root + "/studies", SIGNED_IN, "STOW-RS: store instances " + where, this::stow)
                .post(root + "/studies/{study}", SIGNED_IN, "STOW-RS: store instances of one study " + where, this::stow);
        }
        return list.routes();
    }

    private void stow(Context ctx) throws IOException {
        Caller caller = Callers.signedIn(ctx);
        String boundary = boundary(ctx.header("Content-Type"));
        String folderId = ctx.pathParamMap().containsKey("folder") ? ctx.pathParam("folder")
                : repo.folders().homeChildId(caller, "DICOM");
        store.checkTarget(caller, folderId);
        String study = ctx.pathParamMap().get("study");
        List<DicomStore.Outcome> outcomes = new StowBody(repo.blobs(), repo.items().maxUploadBytes(),
                store.begin(caller, folderId, study)).read(ctx.req().getInputStream(), boundary);
        if (outcomes.isEmpty()) {
            throw ArcaException.invalid("no_parts", "The request held no parts.");
        }
        respond(ctx, outcomes);
    }

    private void respond(Context ctx, List<DicomStore.Outcome> outcomes) throws IOException {
        String base = ctx.scheme() + "://" + ctx.host() + ctx.path().substring(0, ctx.path().indexOf("/studies"));
        Attributes answer = new Attributes();
        answer.setString(0x00080005, VR.CS, "ISO_IR 192");
        List<Attributes> referenced = new ArrayList<>();
        List<Attributes> failed = new ArrayList<>();
        for (DicomStore.Outcome o : outcomes) {
            Attributes item = new Attributes(answer);
            if (o.sopClassUid() != null) {
                item.setString(0x00081150, VR.UI, o.sopClassUid());
            }
            if (o.sopInstanceUid() != null) {
                item.setString(0x00081155, VR.UI, o.sopInstanceUid());
            }
            if (o.stored()) {
                item.setString(0x00081190, VR.UR, base + "/studies/" + o.studyUid() + "/series/" + o.seriesUid()
                        + "/instances/" + o.sopInstanceUid());
                referenced.add(item);
            } else {
                item.setInt(0x00081197, VR.US, o.failureReason());
                failed.add(item);
            }
        }
        if (!referenced.isEmpty()) {
            answer.setSequence(0x00081199, referenced);
            answer.setString(0x00081190, VR.UR, base + "/studies/" + outcomes.stream().filter(DicomStore.Outcome::stored)
                    .findFirst().orElseThrow().studyUid());
        }
        if (!failed.isEmpty()) {
            answer.setSequence(0x00081198, failed);
            ctx.header("Warning", "299 Arca \"" + failed.size() + " of " + outcomes.size() + " instances were not stored: "
                    + outcomes.stream().filter(o -> !o.stored()).findFirst().orElseThrow().message().replace('"', '\'') + "\"");
        }
        ctx.status(failed.isEmpty() ? 200 : referenced.isEmpty() ? 409 : 202);
        ctx.contentType("application/dicom+json");
        Writer out = new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8);
        DicomJson.write(answer, out, DicomJson.Options.INLINE);
        out.flush();
    }

    /**
     * The boundary of a multipart/related body whose root type is application/dicom, or that names no type (as
     * many clients send it; each part's own Content-Type is still checked); else 415.
     */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/related")) {
            throw new ArcaException(ArcaException.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "STOW-RS takes multipart/related; type=\"application/dicom\".");
        }
        String boundary = null;
        for (String parameter : contentType.split(";")) {
            String[] kv = parameter.split("=", 2);
            if (kv.length < 2) {
                continue;
            }
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            String value = kv[1].strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (key.equals("type") && !value.equalsIgnoreCase("application/dicom")) {
                throw new ArcaException(ArcaException.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                        "Arca stores application/dicom parts; " + value + " is not supported.");
            }
            if (key.equals("boundary")) {
                boundary = value;
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw ArcaException.invalid("missing_boundary", "The Content-Type names no multipart boundary.");
        }
        return boundary;
    }
}
