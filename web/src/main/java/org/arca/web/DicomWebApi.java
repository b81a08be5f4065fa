package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomJson;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Element;
import org.arca.dicom.VR;
import org.arca.dicomweb.DicomQueries;
import org.arca.dicomweb.MetadataCache;
import org.arca.dicomweb.QueryLevel;

/**
 * DICOMweb (PS3.18) over the DICOM index: QIDO-RS searches, WADO-RS retrieval of instances, metadata and
 * bulk data. Everything answers with what the caller may read; the same routes under
 * {@code /dicom-web/folders/{folder}} see one folder's subtree, so a viewer can be pointed at one project.
 */
final class DicomWebApi {
    /** RetrieveURL (0008,1190). */
    private static final int RETRIEVE_URL = 0x00081190;
    private static final long BULK_THRESHOLD = MetadataCache.BULK_THRESHOLD;

    private final Repository repo;
    private final DicomQueries queries;
    private final MetadataCache metadataCache;

    DicomWebApi(Repository repo, DicomQueries queries) {
        this.repo = repo;
        this.queries = queries;
        this.metadataCache = MetadataCache.in(repo.blobs(), repo.config().dataDir());
    }

    List<Route> routes() {
        RouteList list = new RouteList("dicomweb");
        for (String root : List.of("/dicom-web", "/dicom-web/folders/{folder}")) {
            String scope = root.contains("{folder}") ? " in one folder's subtree" : "";
            list.get(root + "/studies", ANYONE, "QIDO-RS: search studies" + scope, qido(QueryLevel.STUDY))
                .get(root + "/series", ANYONE, "QIDO-RS: search series" + scope, qido(QueryLevel.SERIES))
                .get(root + "/instances", ANYONE, "QIDO-RS: search instances" + scope, qido(QueryLevel.INSTANCE))
                .get(root + "/studies/{study}/series", ANYONE, "QIDO-RS: a study's series" + scope, qido(QueryLevel.SERIES))
                .get(root + "/studies/{study}/instances", ANYONE, "QIDO-RS: a study's instances" + scope, qido(QueryLevel.INSTANCE))
                .get(root + "/studies/{study}/series/{series}/instances", ANYONE, "QIDO-RS: a series' instances" + scope,
                        qido(QueryLevel.INSTANCE))
                .get(root + "/studies/{study}", ANYONE, "WADO-RS: a study's instances" + scope, this::retrieve)
                .get(root + "/studies/{study}/series/{series}", ANYONE, "WADO-RS: a series' instances" + scope, this::retrieve)
                .get(root + "/studies/{study}/series/{series}/instances/{instance}", ANYONE, "WADO-RS: one instance" + scope,
                        this::retrieve)
                .get(root + "/studies/{study}/metadata", ANYONE, "WADO-RS: a study's metadata" + scope, this::metadata)
                .get(root + "/studies/{study}/series/{series}/metadata", ANYONE, "WADO-RS: a series' metadata" + scope,
                        this::metadata)
                .get(root + "/studies/{study}/series/{series}/instances/{instance}/metadata", ANYONE,
                        "WADO-RS: an instance's metadata" + scope, this::metadata)
                .get(root + "/studies/{study}/series/{series}/instances/{instance}/bulkdata/<path>", ANYONE,
                        "WADO-RS: a large value of an instance, by tag path" + scope, this::bulkdata);
        }
        list.get("/api/v1/items/{id}/dicom", ANYONE, "The DICOM instance an item holds: UIDs, viewer links and its tags",
                this::itemDicom);
        return list.routes();
    }

    /**
     * For the portal's preview: where the instance lives in DICOMweb and its top-level tags with keywords, so
     * a page can show an image and a tag table without a DICOM dictionary of its own.
     */
    private void itemDicom(Context ctx) throws IOException {
        Caller caller = Callers.of(ctx);
        DicomQueries.StoredInstance instance = queries.forItem(caller, ctx.pathParam("id"))
                .orElseThrow(() -> ArcaException.notFound("A DICOM instance in this item"));
        ReadableBytes bytes = repo.bytes().read(caller, List.of(instance.sha256()),
                StoredBytes.Audit.entry("dicom.tags", "item", instance.itemId(), "instance=" + instance.sopInstanceUid()));
        DicomFile file = DicomReader.read(bytes.path(instance.sha256()),
                DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
        List<Map<String, Object>> tags = new java.util.ArrayList<>();
        for (Element e : file.dataset().elements()) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("tag", String.format("(%04X,%04X)", e.tag() >>> 16, e.tag() & 0xFFFF));
            row.put("keyword", org.arca.dicom.DataDictionary.keywordOf(e.tag()));
            row.put("vr", e.vr().name());
            row.put("value", display(file.dataset(), e));
            tags.add(row);
        }
        String instanceUrl = "/dicom-web/studies/" + instance.studyUid() + "/series/" + instance.seriesUid() + "/instances/"
                + instance.sopInstanceUid();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("studyInstanceUid", instance.studyUid());
        body.put("seriesInstanceUid", instance.seriesUid());
        body.put("sopInstanceUid", instance.sopInstanceUid());
        body.put("transferSyntax", instance.transferSyntax());
        body.put("hasPixels", file.dataset().contains(org.arca.dicom.Tag.PixelData));
        body.put("renderedUrl", instanceUrl + "/rendered");
        body.put("tags", tags);
        ctx.json(body);
    }

    /** A value as a person reads it in a tag table; binary values and sequences are summarised. */
    private static String display(Attributes dataset, Element e) {
        return switch (e.value()) {
            case org.arca.dicom.Value.Sequence seq -> seq.items().size() + " item(s)";
            case org.arca.dicom.Value.Fragments fragments -> fragments.items().size() + " fragment(s)";
            case org.arca.dicom.Value.Bulk bulk -> "(" + bulk.data().length() + " bytes)";
            default -> {
                List<String> values;
                try {
                    values = dataset.strings(e);
                } catch (RuntimeException undecodable) {
                    values = List.of();
                }
                if (values.isEmpty() && e.length() > 0) {
                    yield "(" + e.length() + " bytes)";
                }
                String text = String.join("\\", values);
                yield text.length() > 256 ? text.substring(0, 256) + "…" : text;
            }
        };
    }

    private static String param(Context ctx, String name) {
        return ctx.pathParamMap().get(name);
    }

    private Handler qido(QueryLevel level) {
        return ctx -> {
            String answerType = DicomJsonAccept.choose(ctx.header("Accept"));
            Map<String, String> fixed = new java.util.LinkedHashMap<>();
            if (param(ctx, "study") != null) {
                fixed.put("StudyInstanceUID", param(ctx, "study"));
            }
            if (param(ctx, "series") != null) {
                fixed.put("SeriesInstanceUID", param(ctx, "series"));
            }
            DicomQueries.Matches matches = queries.search(Callers.of(ctx), DicomPaths.scope(ctx), level, fixed, ctx.queryParamMap());
            ctx.header("X-Total-Count", Long.toString(matches.total()));
            if (matches.limited()) {
                ctx.header("Warning", "299 Arca \"The number of results exceeded the maximum supported by the server ("
                        + DicomQueries.MAX_LIMIT + "). Additional results can be requested.\"");
            }
            ctx.contentType(answerType);
            String root = DicomPaths.root(ctx);
            Writer out = new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8);
            out.write('[');
            boolean first = true;
            for (Attributes match : matches.matches()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                match.setString(RETRIEVE_URL, VR.UR, retrieveUrl(root, level, match));
                DicomJson.write(match, out, DicomJson.Options.INLINE);
            }
            out.write(']');
            out.flush();
        };
    }

    /**
     * Where a match is retrieved with WADO-RS (PS3.18 6.7.1.2.2, RetrieveURL), under the root the search came
     * through, so a match found in a folder's root is fetched through that root too.
     */
    private static String retrieveUrl(String root, QueryLevel level, Attributes match) {
        String url = root + "/studies/" + match.getString(org.arca.dicom.Tag.StudyInstanceUID, "");
        if (level != QueryLevel.STUDY) {
            url += "/series/" + match.getString(org.arca.dicom.Tag.SeriesInstanceUID, "");
        }
        if (level == QueryLevel.INSTANCE) {
            url += "/instances/" + match.getString(org.arca.dicom.Tag.SOPInstanceUID, "");
        }
        return url;
    }

    /** The instances a WADO-RS path names, and their bytes, read (and audited) as one retrieval of the study. */
    private record Located(List<DicomQueries.StoredInstance> instances, ReadableBytes bytes) {
    }

    private Located located(Context ctx) {
        List<DicomQueries.StoredInstance> found = DicomPaths.located(ctx, queries);
        ReadableBytes bytes = repo.bytes().read(Callers.of(ctx), found.stream().map(DicomQueries.StoredInstance::sha256).toList(),
                StoredBytes.Audit.entry("dicom.retrieve", "study", found.get(0).studyUid(),
                        "instances=" + found.size() + (param(ctx, "series") != null ? " series=" + param(ctx, "series") : "")));
        return new Located(found, bytes);
    }

    private void retrieve(Context ctx) throws IOException {
        boolean oneInstance = param(ctx, "instance") != null;
        List<WadoAccept.InstanceOption> options = WadoAccept.instances(ctx.header("Accept"), oneInstance);
        Located located = located(ctx);
        List<DicomQueries.StoredInstance> instances = located.instances();
        InstanceRetrieval retrieval = new InstanceRetrieval(located.bytes());
        // The preferred packaging (multipart, or application/dicom alone for one instance) decides; the
        // transfer syntaxes offered with it are tried in order for each instance.
        boolean multipart = options.get(0).multipart();
        List<WadoAccept.InstanceOption> packaged = options.stream().filter(o -> o.multipart() == multipart).toList();
        retrieval.send(ctx, retrieval.plan(instances, packaged), multipart);
    }

    private void metadata(Context ctx) throws IOException {
        String answerType = DicomJsonAccept.choose(ctx.header("Accept"));
        Located located = located(ctx);
        List<DicomQueries.StoredInstance> instances = located.instances();
        // One damaged instance fails the request with 422 before any of the answer is sent, not halfway through it.
        metadataCache.prepareAll(located.bytes(), instances.stream().map(DicomQueries.StoredInstance::sha256).toList());
        String base = ctx.scheme() + "://" + ctx.host() + ctx.path().substring(0, ctx.path().indexOf("/studies/"));
        ctx.contentType(answerType);
        Writer out = new java.io.BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        out.write('[');
        boolean first = true;
        for (DicomQueries.StoredInstance instance : instances) {
            if (!first) {
                out.write(',');
            }
            first = false;
            metadataCache.write(located.bytes(), instance.sha256(), base + "/studies/" + instance.studyUid() + "/series/" + instance.seriesUid()
                    + "/instances/" + instance.sopInstanceUid(), out);
        }
        out.write(']');
        out.flush();
    }

    private void bulkdata(Context ctx) throws IOException {
        Located located = located(ctx);
        Path path = located.bytes().path(located.instances().get(0).sha256());
        DicomFile file = DicomReader.read(path, DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
        Element element = find(file.dataset(), ctx.pathParam("path"));
        // Checked before the answer starts: a 404 after the first part header would be a broken body.
        if (!(element.value() instanceof org.arca.dicom.Value.Bulk || element.value() instanceof org.arca.dicom.Value.Bytes)) {
            throw ArcaException.notFound("The bulk value");
        }
        MultipartRelatedWriter answer = new MultipartRelatedWriter(ctx.res().getOutputStream(), WadoAccept.OCTET_STREAM);
        ctx.contentType(answer.contentType());
        answer.part(WadoAccept.OCTET_STREAM, out -> {
            if (element.value() instanceof org.arca.dicom.Value.Bulk bulk) {
                try (InputStream in = bulk.data().open()) {
                    in.transferTo(out);
                }
            } else {
                out.write(((org.arca.dicom.Value.Bytes) element.value()).bytes());
            }
        });
        answer.finish();
    }

    /** Walks a tag path such as {@code 00081140/0/7FE00010} through sequences to an element. */
    private static Element find(Attributes dataset, String path) {
        Attributes current = dataset;
        String[] steps = path.split("/");
        for (int i = 0; i < steps.length; i++) {
            int tag;
            try {
                tag = (int) Long.parseLong(steps[i], 16);
            } catch (NumberFormatException e) {
                throw ArcaException.notFound("The bulk value");
            }
            if (i == steps.length - 1) {
                return current.get(tag).orElseThrow(() -> ArcaException.notFound("The bulk value"));
            }
            List<Attributes> items = current.sequence(tag);
            int index;
            try {
                index = Integer.parseInt(steps[++i]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw ArcaException.notFound("The bulk value");
            }
            if (index < 0 || index >= items.size()) {
                throw ArcaException.notFound("The bulk value");
            }
            current = items.get(index);
        }
        throw ArcaException.notFound("The bulk value");
    }
}
