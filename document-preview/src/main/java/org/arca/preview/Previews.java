package org.arca.preview;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.arca.core.FileKind;
import org.arca.core.Sandbox;
import org.arca.core.StoredFile;

/**
 * Previews of stored files, made on first request by a worker process (PDF pages, scaled images, text,
 * tables, archive listings, office documents as sanitised HTML) and cached per blob SHA-256 and page.
 * Kinds the browser shows itself (audio, video) or another module renders (DICOM) are the surface's to
 * describe. At most two workers run at once, so previews cannot starve the server. Thread-safe.
 */
public final class Previews {

    /** What a preview is: JSON to send as it is, a PNG file, or nothing with a reason. */
    public sealed interface Result {
        record Json(byte[] body) implements Result {
        }

        record Png(Path file) implements Result {
        }

        record None(byte[] body) implements Result {
        }
    }

    private final PreviewCache cache;
    private final Path workRoot;
    private final Duration timeout;
    private final int heapMegabytes;
    private final Semaphore workers = new Semaphore(2);
    private final ConcurrentHashMap<Path, Object> making = new ConcurrentHashMap<>();
    private final OfficeConverter office;
    private final Sandbox sandbox;

    /**
     * {@code office} converts office documents to PDF for page previews; when it is not
     * {@linkplain OfficeConverter#available() available} they are shown as sanitised HTML instead. Workers and
     * LibreOffice run in {@code sandbox}, each worker within {@code limits}.
     */
    public Previews(Path cacheDir, Path workRoot, PreviewLimits limits, OfficeConverter office, Sandbox sandbox) {
        this.sandbox = sandbox;
        this.cache = new PreviewCache(cacheDir, limits.cacheBytes());
        this.workRoot = workRoot;
        this.timeout = limits.timeout();
        this.heapMegabytes = limits.heapMegabytes();
        this.office = office;
    }

    /** The PDF LibreOffice made of an office document, cached per blob, or why there is none. */
    private record Converted(Path pdf, Result.None none) {
    }

    /** The kinds whose previews this class makes. */
    public static boolean makes(FileKind kind) {
        return switch (kind) {
            case PDF, IMAGE, TEXT, ARCHIVE, SPREADSHEET, DOCUMENT, PRESENTATION -> true;
            default -> false;
        };
    }

    /** The preview's description: for paged kinds the page count, for the others the content itself. */
    public Result describe(StoredFile file, FileKind kind, Path blob) {
        if (converts(file, kind)) {
            Converted converted = officePdf(file, blob);
            return converted.none() != null ? converted.none()
                    : make(file, FileKind.PDF, converted.pdf(), "preview.json", "describe");
        }
        return make(file, kind, blob, "preview.json", "describe");
    }

    /**
     * Documents and slides go through LibreOffice when it is installed. Spreadsheets stay tables (rows and
     * sheet tabs read better than a workbook cut into printed pages), except ODS, which POI cannot read.
     */
    private boolean converts(StoredFile file, FileKind kind) {
        if (!office.available()) {
            return false;
        }
        return switch (kind) {
            case DOCUMENT, PRESENTATION -> true;
            case SPREADSHEET -> file.name().toLowerCase(java.util.Locale.ROOT).endsWith(".ods");
            default -> false;
        };
    }

    /** Page {@code page} (1-based) of a PDF, or the scaled image, as PNG. */
    public Result page(StoredFile file, FileKind kind, Path blob, int page) {
        if (page < 1 || page > 100_000) {
            throw new PreviewException("Pages are numbered from 1.");
        }
        if (converts(file, kind)) {
            Converted converted = officePdf(file, blob);
            if (converted.none() != null) {
                return converted.none();
            }
            return make(file, FileKind.PDF, converted.pdf(), "page-" + page + ".png", "page", Integer.toString(page));
        }
        return make(file, kind, blob, "page-" + page + ".png", "page", Integer.toString(page));
    }

    /** Converts once per blob SHA-256; a failure is remembered like any preview that cannot be made. */
    private Converted officePdf(StoredFile file, Path blob) {
        Path target = cache.file(file.sha256(), "office.pdf");
        Path none = target.resolveSibling("office.pdf.none");
        Object lock = making.computeIfAbsent(target, k -> new Object());
        synchronized (lock) {
            try {
                if (!Files.exists(target) && !Files.exists(none)) {
                    convert(file, blob, target, none);
                }
                if (Files.exists(target)) {
                    cache.touch(target);
                    return new Converted(target, null);
                }
                return new Converted(null, new Result.None(Files.readAllBytes(none)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                making.remove(target);
            }
        }
    }

    private void convert(StoredFile file, Path blob, Path target, Path none) throws IOException {
        Path job = null;
        boolean acquired = false;
        try {
            workers.acquire();
            acquired = true;
            job = Files.createTempDirectory(Files.createDirectories(workRoot), "office-");
            Path pdf = office.toPdf(blob, file.name(), job, sandbox);
            Files.createDirectories(target.getParent());
            keep(pdf, target);
        } catch (PreviewException e) {
            Files.createDirectories(none.getParent());
            Files.write(none, noneJson(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreviewException("The preview was interrupted.");
        } finally {
            endJob(acquired, job);
        }
    }

    /** Gives the worker slot back (when one was taken) and removes the job's temporary folder. */
    private void endJob(boolean acquired, Path job) {
        if (acquired) {
            workers.release();
        }
        if (job != null) {
            try {
                PreviewCache.delete(job);
            } catch (IOException e) {
                // A leftover temp folder is harmless.
            }
        }
    }

    private Result make(StoredFile file, FileKind kind, Path blob, String name, String mode, String... extra) {
        Path target = cache.file(file.sha256(), name);
        Path none = target.resolveSibling(name + ".none");
        Result cached = cached(target, none);
        if (cached != null) {
            return cached;
        }
        Object lock = making.computeIfAbsent(target, k -> new Object());
        synchronized (lock) {
            try {
                cached = cached(target, none);
                if (cached != null) {
                    return cached;
                }
                run(kind, blob, target, mode, extra);
                cached = cached(target, none);
                return cached != null ? cached : new Result.None(noneJson("The preview could not be made."));
            } finally {
                making.remove(target);
            }
        }
    }

    private Result cached(Path target, Path none) {
        try {
            if (Files.exists(target)) {
                cache.touch(target);
                return target.toString().endsWith(".png") ? new Result.Png(target) : new Result.Json(Files.readAllBytes(target));
            }
            if (Files.exists(none)) {
                return new Result.None(Files.readAllBytes(none));
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(FileKind kind, Path blob, Path target, String mode, String... extra) {
        Path job = null;
        boolean acquired = false;
        try {
            workers.acquire();
            acquired = true;
            job = Files.createTempDirectory(Files.createDirectories(workRoot), "preview-");
            Path output = job.resolve(target.getFileName());
            String[] args = new String[4 + extra.length];
            args[0] = mode;
            args[1] = kind.name();
            args[2] = job.resolve(WorkerProcess.INPUT).toString();
            args[3] = output.toString();
            System.arraycopy(extra, 0, args, 4, extra.length);
            WorkerProcess.Outcome outcome = new WorkerProcess(sandbox, heapMegabytes, timeout.toMillis())
                    .run(PreviewWorker.class, job, blob, args);
            Files.createDirectories(target.getParent());
            Path none = output.resolveSibling(output.getFileName() + ".none");
            if (outcome.exitCode() == 0 && Files.exists(output)) {
                keep(output, target);
            } else if (outcome.exitCode() == 0 && Files.exists(none)) {
                keep(none, target.resolveSibling(target.getFileName() + ".none"));
            } else {
                String reason = outcome.timedOut() ? "Making the preview took longer than " + timeout.toSeconds() + " s."
                        : outcome.outOfMemory() ? "The file needs more memory to preview than Arca allows."
                        : "The preview could not be made.";
                Files.write(target.resolveSibling(target.getFileName() + ".none"), noneJson(reason));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreviewException("The preview was interrupted.");
        } finally {
            endJob(acquired, job);
        }
    }

    private void keep(Path made, Path target) throws IOException {
        Files.move(made, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        cache.added(target);
    }

    static byte[] noneJson(String reason) {
        return ("{\"kind\":\"none\",\"reason\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
