package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;
import static org.arca.web.Route.Audience.SIGNED_IN;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.arca.core.ArcaException;
import org.arca.core.FolderTree;
import org.arca.core.Item;
import org.arca.core.ItemListener;
import org.arca.core.ItemStore;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.core.StoredFile;
import org.arca.core.access.Caller;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * Bytes in and out: raw PUT and browser multipart uploads streamed into the blob store, downloads with
 * {@code Range} and {@code ETag}, and folders as streamed ZIP archives. Nothing here holds a whole file
 * in memory.
 */
final class TransferApi {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int BUFFER = 1 << 20;
    private static final long MAPPED_SLICE = 64L << 20;

    private final Repository repo;
    private final Traffic traffic;

    TransferApi(Repository repo, Traffic traffic) {
        this.repo = repo;
        this.traffic = traffic;
    }

    List<Route> routes() {
        return new RouteList("transfer")
                .put("/api/v1/folders/{id}/files/{name}", SIGNED_IN,
                        "Upload the raw body as the item {name}; an existing item of that name gets the new content", this::put)
                .post("/api/v1/folders/{id}/files", SIGNED_IN, "Upload files as multipart/form-data (browsers)", this::multipart)
                .get("/api/v1/items/{id}/content", ANYONE, "Download an item's file (Range, ETag; fileId picks a file)", this::content)
                .head("/api/v1/items/{id}/content", ANYONE, "Headers of an item's file download", this::content)
                .get("/api/v1/folders/{id}/archive", ANYONE, "Download a folder's subtree as a streamed ZIP", this::archive)
                .routes();
    }

    private void put(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String folderId = ctx.pathParam("id");
        String name = ctx.pathParam("name");
        long declared = ctx.req().getContentLengthLong();
        // put checks access, the name and the declared length before it reads a byte of the body.
        try (InputStream in = traffic.countIn(ctx.req().getInputStream())) {
            ItemStore.Stored stored = repo.items().put(caller, folderId, name, mediaType(ctx.contentType(), name), in,
                    declared);
            ctx.status(stored.change() == ItemListener.Change.CREATED ? 201 : 200).json(stored.item());
        } catch (IOException e) {
            throw new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload",
                    "The upload was interrupted; nothing was stored.", e);
        }
    }

    private void multipart(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String folderId = ctx.pathParam("id");
        boolean replace = "true".equals(ctx.queryParam("replace"));
        if (!JakartaServletFileUpload.isMultipartContent(ctx.req())) {
            throw ArcaException.invalid("not_multipart", "Send the files as multipart/form-data.");
        }
        repo.folders().get(caller, folderId);
        List<Item> stored = new ArrayList<>();
        try {
            FileItemInputIterator parts = new JakartaServletFileUpload<>().getItemIterator(ctx.req());
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (part.isFormField() || part.getName() == null || part.getName().isEmpty()) {
                    continue;
                }
                String name = baseName(part.getName());
                try (InputStream in = traffic.countIn(part.getInputStream())) {
                    stored.add(repo.items().upload(caller, folderId, name, mediaType(part.getContentType(), name), in, -1,
                            replace));
                }
            }
        } catch (IOException e) {
            throw new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload",
                    "The upload was interrupted; " + stored.size() + " complete file(s) were stored.", e);
        }
        if (stored.isEmpty()) {
            throw ArcaException.invalid("no_files", "The form held no files.");
        }
        ctx.status(201).json(Map.of("items", stored));
    }

    private void content(Context ctx) throws IOException {
        ItemStore.Content content = repo.items().content(Callers.of(ctx), ctx.pathParam("id"), ctx.queryParam("fileId"));
        StoredFile file = content.file();
        String etag = "\"" + file.sha256() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Cache-Control", "private, no-cache");
        // A download unless a view is asked for; SecurityHeaders sandboxes that view, so stored HTML or SVG stays inert.
        String disposition = "true".equals(ctx.queryParam("inline")) ? "inline" : "attachment";
        ctx.header("Content-Disposition", disposition + "; filename=\"" + asciiName(file.name()) + "\"; filename*=UTF-8''"
                + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        long size = file.size();
        long start = 0;
        long end = size - 1;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(etag))) {
            Matcher m = RANGE.matcher(range.strip());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        end = Math.min(end, Long.parseLong(m.group(2)));
                    }
                }
                if (start >= size || start > end) {
                    ctx.header("Content-Range", "bytes */" + size);
                    HttpErrors.write(ctx, 416, "range_not_satisfiable", "The file has " + size + " bytes.");
                    return;
                }
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = end - start + 1;
        ctx.contentType(file.mediaType());
        ctx.res().setContentLengthLong(length);
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(content.path(), StandardOpenOption.READ)) {
            OutputStream out = ctx.res().getOutputStream();
            if (out instanceof HttpOutput jetty) {
                // Memory-mapped slices go from the page cache to the socket without a copy through the heap.
                for (long position = start; position <= end; position += MAPPED_SLICE) {
                    long slice = Math.min(MAPPED_SLICE, end + 1 - position);
                    jetty.write(channel.map(FileChannel.MapMode.READ_ONLY, position, slice));
                }
            } else {
                copy(channel, out, start, length, file.sha256());
            }
            traffic.countOut(length);
        }
    }

    private static void copy(FileChannel channel, OutputStream out, long start, long length, String sha256) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        long position = start;
        long remaining = length;
        while (remaining > 0) {
            wrapped.clear().limit((int) Math.min(buffer.length, remaining));
            int n = channel.read(wrapped, position);
            if (n < 0) {
                throw new IOException("blob " + sha256 + " is shorter than recorded");
            }
            out.write(buffer, 0, n);
            position += n;
            remaining -= n;
        }
    }

    private void archive(Context ctx) throws IOException {
        Caller caller = Callers.of(ctx);
        String id = ctx.pathParam("id");
        List<FolderTree.FolderPath> folders = repo.folders().subtree(caller, id);
        String rootName = folders.get(0).path();
        repo.audit().record(caller, "folder.archive", "folder", id, "folders=" + folders.size());
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + asciiName(rootName) + ".zip\"; filename*=UTF-8''"
                + URLEncoder.encode(rootName + ".zip", StandardCharsets.UTF_8).replace("+", "%20"));
        Map<String, String> paths = new java.util.HashMap<>();
        folders.forEach(f -> paths.put(f.folderId(), f.path()));
        OutputStream raw = ctx.res().getOutputStream();
        long[] written = {0};
        OutputStream counting = new java.io.FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written[0] += len;
            }
        };
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(counting)) {
            zip.setUseZip64(Zip64Mode.AsNeeded);
            zip.setLevel(Deflater.BEST_SPEED);
            zip.setEncoding("UTF-8");
            for (FolderTree.FolderPath folder : folders) {
                ZipArchiveEntry dir = new ZipArchiveEntry(folder.path() + "/");
                zip.putArchiveEntry(dir);
                zip.closeArchiveEntry();
            }
            IOException[] failure = new IOException[1];
            repo.items().forEachIn(folders.stream().map(FolderTree.FolderPath::folderId).toList(), item -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    String base = paths.get(item.folderId()) + "/" + item.name();
                    ReadableBytes bytes;
                    try {
                        bytes = repo.bytes().read(caller, item.files().stream().map(StoredFile::sha256).toList(),
                                StoredBytes.Audit.partOf("folder.archive"));
                    } catch (ArcaException gone) {
                        return; // deleted or hidden since the listing: the archive holds what is there as it is read
                    }
                    for (StoredFile file : item.files()) {
                        String entryName = item.files().size() == 1 ? base : base + "/" + file.name();
                        ZipArchiveEntry entry = new ZipArchiveEntry(entryName);
                        entry.setSize(file.size());
                        if (file.createdAt() != null) {
                            entry.setTime(file.createdAt().toEpochMilli());
                        }
                        zip.putArchiveEntry(entry);
                        try (InputStream in = bytes.open(file.sha256())) {
                            in.transferTo(zip);
                        }
                        zip.closeArchiveEntry();
                    }
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        } finally {
            traffic.countOut(written[0]);
        }
    }

    /** Browsers send the file's name; older ones sent a whole client path. Keep the last segment. */
    static String baseName(String name) {
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return cut < 0 ? name : name.substring(cut + 1);
    }

    static String mediaType(String declared, String name) {
        if (declared != null && !declared.isBlank() && !declared.startsWith("application/x-www-form-urlencoded")) {
            return declared;
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static String asciiName(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return ascii.toString();
    }
}
