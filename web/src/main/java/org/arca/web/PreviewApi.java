package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;
import org.arca.core.FileKind;
import org.arca.core.Item;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.StoredFile;
import org.arca.core.access.Caller;
import org.arca.preview.PreviewException;
import org.arca.preview.Previews;

/**
 * {@code GET /api/v1/items/{id}/preview}: what to show for an item without downloading it, chosen by kind.
 * Without {@code page}, JSON: {@code pages} (PDF, image: ask for each page as PNG with {@code page=N}),
 * {@code text}, {@code table}, {@code archive}, {@code html} (sanitised), {@code media} (play the content
 * route, which serves ranges), {@code dicom} (the DICOM route renders it), or {@code none} with a reason.
 */
final class PreviewApi {

    private final Repository repo;
    private final Previews previews;

    PreviewApi(Repository repo, org.arca.preview.OfficeConverter office, org.arca.preview.PreviewLimits limits) {
        this.repo = repo;
        Path data = repo.config().dataDir();
        this.previews = new Previews(data.resolve("cache").resolve("previews"), data.resolve("work").resolve("previews"),
                limits, office, repo.sandbox());
    }

    List<Route> routes() {
        return new RouteList("preview")
                .get("/api/v1/items/{id}/preview", ANYONE, "A preview of an item's file chosen by its kind; page=N gives page N as PNG",
                        this::preview)
                .routes();
    }

    private void preview(Context ctx) throws IOException {
        Caller caller = Callers.of(ctx);
        Item item = repo.items().get(caller, ctx.pathParam("id"));
        StoredFile file = item.primaryFile();
        String page = ctx.queryParam("page");
        ReadableBytes bytes = repo.bytes().read(caller, file,
                StoredBytes.Audit.entry("item.preview", "item", item.id(), "file=" + file.id() + (page == null ? "" : " page=" + page)));
        FileKind kind = detected(bytes, file);
        ctx.header("Cache-Control", "private, max-age=300");
        if (!Previews.makes(kind)) {
            ctx.json(described(item, file, kind));
            return;
        }
        Path blob = bytes.path(file.sha256());
        try {
            Previews.Result result = page == null ? previews.describe(file, kind, blob)
                    : previews.page(file, kind, blob, FolderApi.intParam(ctx, "page", 1));
            switch (result) {
                case Previews.Result.Json json -> ctx.contentType("application/json").result(json.body());
                case Previews.Result.Png png -> {
                    ctx.contentType("image/png");
                    try (InputStream in = Files.newInputStream(png.file())) {
                        ctx.result(in.readAllBytes());
                    }
                }
                case Previews.Result.None none -> {
                    if (page != null) {
                        ctx.status(404);
                    }
                    ctx.contentType("application/json").result(none.body());
                }
            }
        } catch (PreviewException e) {
            throw ArcaException.invalid("no_preview", e.getMessage());
        }
    }

    /**
     * The kind to preview as. A name that lies about the type (a PDF called .txt) is caught by the magic
     * bytes of the common binary formats, so the wrong renderer is not even tried.
     */
    private static FileKind detected(ReadableBytes bytes, StoredFile file) throws IOException {
        FileKind declared = FileKind.of(file.name(), file.mediaType());
        byte[] head;
        try (InputStream in = bytes.open(file.sha256())) {
            head = in.readNBytes(132);
        }
        if (head.length >= 5 && new String(head, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            return FileKind.PDF;
        }
        if (head.length == 132 && new String(head, 128, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("DICM")) {
            return FileKind.DICOM;
        }
        if (declared == FileKind.PDF || declared == FileKind.DICOM) {
            return FileKind.OTHER; // says PDF or DICOM but is not
        }
        return declared;
    }

    private static Map<String, Object> described(Item item, StoredFile file, FileKind kind) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (kind) {
            case VIDEO, AUDIO -> {
                body.put("kind", "media");
                body.put("mediaType", file.mediaType());
                body.put("src", "/api/v1/items/" + item.id() + "/content");
            }
            case DICOM -> {
                body.put("kind", "dicom");
                body.put("src", "/api/v1/items/" + item.id() + "/dicom");
            }
            default -> {
                body.put("kind", "none");
                body.put("reason", "There is no preview for this kind of file; download it instead.");
            }
        }
        return body;
    }
}
