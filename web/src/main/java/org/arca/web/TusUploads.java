package org.arca.web;

import static org.arca.web.Route.Audience.SIGNED_IN;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;
import org.arca.core.ArcaException;
import org.arca.core.Item;
import org.arca.core.Repository;
import org.arca.core.ResumableParts;
import org.arca.core.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads with the tus 1.0 protocol (tus-java-server), which browser upload widgets speak.
 * The client creates an upload with {@code Upload-Metadata} naming {@code folderId} and {@code filename};
 * Arca checks WRITE there before accepting a byte, binds the upload to the caller, and on the last PATCH
 * moves the assembled file into the blob store as an item, answering with {@code Arca-Item-Id}.
 */
final class TusUploads {
    static final String BASE = "/api/v1/uploads";
    /** How long an interrupted upload can be resumed after its last byte arrived. */
    static final Duration RESUME_WINDOW = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);

    private final Repository repo;
    private final TusFileUploadService tus;
    private final Path storage;

    TusUploads(Repository repo, Path storage) {
        this.repo = repo;
        this.storage = storage;
        try {
            // tus-java-server's cleanup lists these folders and fails while they do not exist yet.
            Files.createDirectories(storage.resolve("uploads"));
            Files.createDirectories(storage.resolve("locks"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.tus = new TusFileUploadService()
                .withUploadUri(BASE)
                .withStoragePath(storage.toAbsolutePath().toString())
                .withMaxUploadSize(repo.items().maxUploadBytes())
                .withUploadExpirationPeriod(RESUME_WINDOW.toMillis())
                .withThreadLocalCache(true);
    }

    List<Route> routes() {
        return new RouteList("transfer")
                .post(BASE, SIGNED_IN, "tus 1.0: create a resumable upload (Upload-Metadata: folderId, filename)", this::create)
                .head(BASE + "/{upload}", SIGNED_IN, "tus 1.0: how much of an upload arrived", this::pass)
                .patch(BASE + "/{upload}", SIGNED_IN, "tus 1.0: append bytes; the last PATCH stores the item", this::patch)
                .delete(BASE + "/{upload}", SIGNED_IN, "tus 1.0: abandon an upload", this::pass)
                .add(io.javalin.http.HandlerType.OPTIONS, BASE, Route.Audience.ANYONE, "tus 1.0: server capabilities",
                        ctx -> tus.process(ctx.req(), ctx.res()))
                .routes();
    }

    private void create(Context ctx) throws IOException {
        Caller caller = Callers.signedIn(ctx);
        Map<String, String> meta = metadata(ctx.header("Upload-Metadata"));
        String folderId = meta.get("folderId");
        String name = meta.get("filename");
        if (folderId == null || name == null) {
            throw ArcaException.invalid("missing_metadata", "Upload-Metadata must name folderId and filename.");
        }
        repo.items().checkUpload(caller, folderId, name, "true".equals(meta.get("replace")));
        tus.process(ctx.req(), ctx.res(), caller.userId());
    }

    private void pass(Context ctx) throws IOException {
        tus.process(ctx.req(), ctx.res(), Callers.signedIn(ctx).userId());
    }

    private void patch(Context ctx) throws IOException {
        Caller caller = Callers.signedIn(ctx);
        String uri = BASE + "/" + ctx.pathParam("upload");
        tus.process(ctx.req(), ctx.res(), caller.userId());
        UploadInfo info;
        try {
            info = tus.getUploadInfo(uri, caller.userId());
        } catch (TusException e) {
            return;
        }
        if (info == null || info.isUploadInProgress()) {
            return;
        }
        Map<String, String> meta = info.getMetadata();
        Item item = store(caller, uri, info, meta);
        ctx.header("Arca-Item-Id", item.id());
        ctx.header("Access-Control-Expose-Headers", "Arca-Item-Id, Upload-Offset, Location");
    }

    /** Moves the finished upload's file into the blob store (no copy), or streams it if the layout is unknown. */
    private Item store(Caller caller, String uri, UploadInfo info, Map<String, String> meta) throws IOException {
        String folderId = meta.get("folderId");
        String name = meta.get("filename");
        String type = TransferApi.mediaType(meta.get("filetype"), name);
        boolean replace = "true".equals(meta.get("replace"));
        try {
            Path data = storage.resolve("uploads").resolve(info.getId().toString()).resolve("data");
            Item item;
            if (Files.isRegularFile(data) && Files.size(data) == info.getLength()) {
                item = repo.items().adopt(caller, folderId, name, type, data, replace);
            } else {
                try (InputStream in = tus.getUploadedBytes(uri, caller.userId())) {
                    item = repo.items().upload(caller, folderId, name, type, in, info.getLength(), replace);
                }
            }
            return item;
        } catch (TusException e) {
            throw new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload", "The upload could not be read back.", e);
        } finally {
            try {
                tus.deleteUpload(uri, caller.userId());
            } catch (TusException | IOException e) {
                LOG.warn("could not remove finished upload {}", info.getId(), e);
            }
        }
    }

    /**
     * Drops uploads abandoned for longer than the resume window; run at start and now and then. tus-java-server's
     * own cleanup reads each upload's description, so the folders it cannot read (a crash before the description
     * was written) go by their age, as {@code gc} removes them.
     */
    void cleanup() {
        try {
            tus.cleanup();
            for (ResumableParts parts : resumableParts(storage)) {
                parts.sweep(Instant.now());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cleaning up expired uploads failed", e);
        }
    }

    /** The folders under {@code storage} that hold interrupted uploads, with their resume window. */
    static List<ResumableParts> resumableParts(Path storage) {
        return List.of(new ResumableParts(storage.resolve("uploads"), RESUME_WINDOW),
                new ResumableParts(storage.resolve("locks"), RESUME_WINDOW));
    }

    static Map<String, String> metadata(String header) {
        Map<String, String> values = new HashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.strip().split(" ", 2);
            try {
                values.put(kv[0], kv.length < 2 ? "" : new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ArcaException.invalid("invalid_metadata", "Upload-Metadata values must be base64.");
            }
        }
        return values;
    }
}
