package org.arca.core;

import java.util.Locale;
import java.util.Map;

/**
 * The coarse kind of a file that users filter and facet search results by and that previews choose their
 * rendering by. Decided from the stored media type first and the name's extension second, because
 * browsers and SFTP clients often send {@code application/octet-stream}.
 */
public enum FileKind {
    FOLDER, DICOM, PDF, IMAGE, DOCUMENT, SPREADSHEET, PRESENTATION, TEXT, ARCHIVE, VIDEO, AUDIO, OTHER;

    private static final Map<String, FileKind> BY_EXTENSION = Map.ofEntries(
            Map.entry("dcm", DICOM), Map.entry("pdf", PDF),
            Map.entry("png", IMAGE), Map.entry("jpg", IMAGE), Map.entry("jpeg", IMAGE), Map.entry("gif", IMAGE),
            Map.entry("bmp", IMAGE), Map.entry("tif", IMAGE), Map.entry("tiff", IMAGE), Map.entry("webp", IMAGE),
            Map.entry("docx", DOCUMENT), Map.entry("doc", DOCUMENT), Map.entry("odt", DOCUMENT), Map.entry("rtf", DOCUMENT),
            Map.entry("xlsx", SPREADSHEET), Map.entry("xls", SPREADSHEET), Map.entry("ods", SPREADSHEET),
            Map.entry("csv", SPREADSHEET), Map.entry("tsv", SPREADSHEET),
            Map.entry("pptx", PRESENTATION), Map.entry("ppt", PRESENTATION), Map.entry("odp", PRESENTATION),
            Map.entry("txt", TEXT), Map.entry("md", TEXT), Map.entry("json", TEXT), Map.entry("xml", TEXT),
            Map.entry("log", TEXT), Map.entry("html", TEXT), Map.entry("htm", TEXT),
            Map.entry("zip", ARCHIVE), Map.entry("tar", ARCHIVE), Map.entry("tgz", ARCHIVE), Map.entry("gz", ARCHIVE),
            Map.entry("mp4", VIDEO), Map.entry("webm", VIDEO), Map.entry("ogv", VIDEO), Map.entry("mov", VIDEO),
            Map.entry("mp3", AUDIO), Map.entry("wav", AUDIO), Map.entry("ogg", AUDIO), Map.entry("oga", AUDIO),
            Map.entry("flac", AUDIO));

    /** The name search and the API use: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FileKind of(String fileName, String mediaType) {
        FileKind byType = byMediaType(mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT));
        if (byType != OTHER) {
            return byType;
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? OTHER : BY_EXTENSION.getOrDefault(name.substring(dot + 1), OTHER);
    }

    private static FileKind byMediaType(String type) {
        if (type.equals("application/dicom")) {
            return DICOM;
        }
        if (type.equals("application/pdf")) {
            return PDF;
        }
        if (type.startsWith("image/")) {
            return IMAGE;
        }
        if (type.startsWith("video/")) {
            return VIDEO;
        }
        if (type.startsWith("audio/")) {
            return AUDIO;
        }
        if (type.equals("text/csv") || type.equals("text/tab-separated-values") || type.contains("spreadsheet")
                || type.contains("ms-excel")) {
            return SPREADSHEET;
        }
        if (type.contains("presentation") || type.contains("ms-powerpoint")) {
            return PRESENTATION;
        }
        if (type.contains("wordprocessing") || type.equals("application/msword") || type.contains("opendocument.text")
                || type.equals("application/rtf")) {
            return DOCUMENT;
        }
        if (type.equals("application/zip") || type.equals("application/x-tar") || type.equals("application/gzip")
                || type.equals("application/x-gzip")) {
            return ARCHIVE;
        }
        if (type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")) {
            return TEXT;
        }
        return OTHER;
    }
}
